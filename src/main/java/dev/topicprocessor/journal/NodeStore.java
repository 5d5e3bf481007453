package dev.topicprocessor.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The nodes sharing the journal and the leases they hold, through plain JDBC (the same SQL on H2
 * and PostgreSQL). A node is alive while its last heartbeat is recent enough; what it claimed or
 * holds is valid only while it is alive, so nothing needs renewing but the heartbeat. Each call
 * commits on its own, outside the group commit: a heartbeat must not wait behind acknowledgements.
 */
public final class NodeStore {

  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  NodeStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A node as the journal knows it. */
  public record Node(String id, long startedAt, long heartbeatAt) {}

  /** A lease and the node holding it. */
  public record Lease(String name, String holder, long acquiredAt) {}

  /**
   * Where a lease stands after a node asked for it.
   *
   * @param holder the node that holds it now (the asking one if {@code held})
   * @param takenOverFrom the node whose heartbeat had stopped and who held it until now, or null
   */
  public record LeaseState(boolean held, String holder, String takenOverFrom) {}

  /**
   * Registers this start of the node ({@code instance}); the same node started again takes its
   * place.
   *
   * @return the node as it was before (another start of it), or null when it was not registered
   */
  public Node register(String node, String instance, long now) throws SQLException {
    try (Connection c = autoCommit()) {
      Node before = node(c, node);
      int updated =
          update(
              c,
              "UPDATE tp_node SET instance_id = ?, started_at = ?, heartbeat_at = ?"
                  + " WHERE node_id = ?",
              instance,
              now,
              now,
              node);
      if (updated == 0) {
        try {
          update(
              c,
              "INSERT INTO tp_node (node_id, instance_id, started_at, heartbeat_at)"
                  + " VALUES (?, ?, ?, ?)",
              node,
              instance,
              now,
              now);
        } catch (SQLException e) {
          if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
            throw e;
          }
          return register(node, instance, now); // registered meanwhile
        }
      }
      return before;
    }
  }

  /**
   * Records a heartbeat of this start of the node.
   *
   * @return false when the node is registered by another start of it now (or not at all)
   */
  public boolean beat(String node, String instance, long now) throws SQLException {
    try (Connection c = autoCommit()) {
      return update(
              c,
              "UPDATE tp_node SET heartbeat_at = ? WHERE node_id = ? AND instance_id = ?",
              now,
              node,
              instance)
          == 1;
    }
  }

  /** The node leaves: its leases and its claims are free at once. */
  public void leave(String node, String instance) throws SQLException {
    try (Connection c = autoCommit()) {
      if (update(c, "DELETE FROM tp_node WHERE node_id = ? AND instance_id = ?", node, instance)
          == 1) {
        update(c, "DELETE FROM tp_lease WHERE holder = ?", node);
      }
    }
  }

  /** Every node registered, by id. */
  public List<Node> nodes() throws SQLException {
    List<Node> nodes = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT node_id, started_at, heartbeat_at FROM tp_node ORDER BY node_id");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        nodes.add(new Node(r.getString(1), r.getLong(2), r.getLong(3)));
      }
    }
    return nodes;
  }

  /** Forgets the nodes silent since before {@code before}; returns how many. */
  public int forgetSilentSince(long before) throws SQLException {
    try (Connection c = autoCommit()) {
      return update(c, "DELETE FROM tp_node WHERE heartbeat_at < ?", before);
    }
  }

  /**
   * Asks for a lease for {@code node}: it gets it if nobody holds it, or if its holder's last
   * heartbeat is before {@code aliveSince} (then it is taken over). Two nodes asking at once do not
   * both get it: the row's lock orders them, and the second sees the first as the holder.
   */
  public LeaseState acquire(String lease, String node, long now, long aliveSince)
      throws SQLException {
    try (Connection c = autoCommit()) {
      String holder = holder(c, lease);
      if (holder == null) {
        try {
          update(
              c,
              "INSERT INTO tp_lease (lease_name, holder, acquired_at) VALUES (?, ?, ?)",
              lease,
              node,
              now);
          return new LeaseState(true, node, null);
        } catch (SQLException e) {
          if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
            throw e;
          }
          holder = holder(c, lease); // another node got it meanwhile
          return new LeaseState(node.equals(holder), holder, null);
        }
      }
      if (holder.equals(node)) {
        return new LeaseState(true, node, null);
      }
      int taken =
          update(
              c,
              "UPDATE tp_lease SET holder = ?, acquired_at = ? WHERE lease_name = ? AND holder = ?"
                  + " AND holder NOT IN (SELECT node_id FROM tp_node WHERE heartbeat_at >= ?)",
              node,
              now,
              lease,
              holder,
              aliveSince);
      if (taken == 1) {
        return new LeaseState(true, node, holder);
      }
      String current = holder(c, lease);
      return new LeaseState(node.equals(current), current, null);
    }
  }

  /** Lets go of a lease this node holds. */
  public void release(String lease, String node) throws SQLException {
    try (Connection c = autoCommit()) {
      update(c, "DELETE FROM tp_lease WHERE lease_name = ? AND holder = ?", lease, node);
    }
  }

  /** Every lease and its holder, by name. */
  public List<Lease> leases() throws SQLException {
    List<Lease> leases = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT lease_name, holder, acquired_at FROM tp_lease ORDER BY lease_name");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        leases.add(new Lease(r.getString(1), r.getString(2), r.getLong(3)));
      }
    }
    return leases;
  }

  private Connection autoCommit() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(true);
    return c;
  }

  private static Node node(Connection c, String node) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT node_id, started_at, heartbeat_at FROM tp_node WHERE node_id = ?")) {
      s.setString(1, node);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? new Node(r.getString(1), r.getLong(2), r.getLong(3)) : null;
      }
    }
  }

  private static String holder(Connection c, String lease) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT holder FROM tp_lease WHERE lease_name = ?")) {
      s.setString(1, lease);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      return s.executeUpdate();
    }
  }
}
