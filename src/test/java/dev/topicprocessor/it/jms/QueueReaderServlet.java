package dev.topicprocessor.it.jms;

import jakarta.annotation.Resource;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The tests' consumer, deployed beside the processor on WildFly: {@code GET /messages?max=N} takes
 * up to N messages off the queue (waiting up to 2 s for each) and answers one line per message:
 * {@code tp_output_id TAB _AMQ_DUPL_ID TAB kind TAB text}.
 */
@WebServlet("/messages")
public class QueueReaderServlet extends HttpServlet {

  @Resource(lookup = "java:/ConnectionFactory")
  private ConnectionFactory factory;

  @Resource(lookup = "java:/jms/queue/TopicProcessorOut")
  private Queue queue;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    int max = Integer.parseInt(request.getParameter("max"));
    response.setContentType("text/plain; charset=utf-8");
    try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        JMSConsumer consumer = context.createConsumer(queue)) {
      PrintWriter out = response.getWriter();
      for (int i = 0; i < max; i++) {
        Message message = consumer.receive(2_000);
        if (message == null) {
          break;
        }
        out.println(
            message.getStringProperty("tp_output_id")
                + "\t"
                + message.getStringProperty("_AMQ_DUPL_ID")
                + "\t"
                + message.getStringProperty("kind")
                + "\t"
                + ((TextMessage) message).getText());
      }
    } catch (jakarta.jms.JMSException e) {
      throw new IOException(e);
    }
  }
}
