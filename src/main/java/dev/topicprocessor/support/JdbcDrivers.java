package dev.topicprocessor.support;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

/** The JDBC drivers that an application's own class loader registered. */
public final class JdbcDrivers {

  private JdbcDrivers() {}

  /**
   * Deregisters the drivers loaded by {@code loader} (those in the WAR), so that they go with the
   * application when it is undeployed instead of pinning its class loader.
   */
  public static void deregister(ClassLoader loader) {
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == loader) {
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException e) {
          // it stays registered: the server deregisters it and says so
        }
      }
    }
  }
}
