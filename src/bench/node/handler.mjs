// The seed's webhook handler ("use Topics to process data asynchronously"), unchanged in what it
// does, as a plain Node.js HTTP server instead of an AWS Lambda behind API Gateway: parse the
// event, upper-case its text, await the publish to "topic 2" of the event's cache, answer 200.
// Like the seed it checks no signature and does not look at the publish's result; a body that is
// not an event answers 500, as a Lambda that throws would.
//
// PORT: HTTP port; MOMENTO_LOCAL_PORT: Local Momento's plaintext gRPC port (on 127.0.0.1).
import http from 'node:http';
import {TopicClient, TopicConfigurations, MomentoLocalProvider} from '@gomomento/sdk';

const momento = new TopicClient({
  configuration: TopicConfigurations.Default.latest(),
  credentialProvider: new MomentoLocalProvider({
    hostname: '127.0.0.1',
    port: Number(process.env.MOMENTO_LOCAL_PORT),
  }),
});

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const webhookEvent = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      await momento.publish(webhookEvent.cache, 'topic 2', webhookEvent.text.toUpperCase());
      res.writeHead(200, {'Content-Type': 'application/json'});
      res.end(JSON.stringify({status: 'success'}));
    } catch (e) {
      res.writeHead(500);
      res.end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
