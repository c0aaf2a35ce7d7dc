// Captures a PostgreSQL database's changes with Debezium's embedded engine and PostgreSQL
// connector (pgoutput), and prints each change as one JSON line: {"topic","key","value"},
// key and value as Debezium's JSON converter writes them: without the schema part, or with it
// when $CAPTURE_SCHEMAS is true ({"schema","payload"}).
// Usage: Capture HOST PORT DATABASE USER SLOT TABLES; the password comes from $PGPASSWORD;
// $CAPTURE_SNAPSHOT is the snapshot mode (no_data unless set: initial reads the tables first, op r).
// Says "capture: ready" on stderr once streaming; stops when its standard input closes.
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class Capture {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty("name", "retail-capture");
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    p.setProperty("offset.flush.interval.ms", "1000");
    p.setProperty("database.hostname", args[0]);
    p.setProperty("database.port", args[1]);
    p.setProperty("database.dbname", args[2]);
    p.setProperty("database.user", args[3]);
    p.setProperty("database.password", System.getenv().getOrDefault("PGPASSWORD", ""));
    p.setProperty("topic.prefix", "retail");
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", args[4]);
    p.setProperty("slot.drop.on.stop", "true");
    p.setProperty("publication.name", args[4] + "_pub");
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty("table.include.list", args[5]);
    p.setProperty("snapshot.mode", System.getenv().getOrDefault("CAPTURE_SNAPSHOT", "no_data"));
    p.setProperty("decimal.handling.mode", "string");
    String schemas = System.getenv().getOrDefault("CAPTURE_SCHEMAS", "false");
    p.setProperty("key.converter.schemas.enable", schemas);
    p.setProperty("value.converter.schemas.enable", schemas);
    p.setProperty("errors.max.retries", "0");
    CountDownLatch stopped = new CountDownLatch(1);
    DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
        .using(p)
        .notifying(change -> {
          synchronized (System.out) {
            System.out.println("{\"topic\":\"" + change.destination() + "\",\"key\":" + change.key() + ",\"value\":" + change.value() + "}");
            System.out.flush();
          }
        })
        .using(new DebeziumEngine.ConnectorCallback() {
          @Override public void taskStarted() { System.err.println("capture: ready"); }
        })
        .using((success, message, error) -> {
          if (!success) System.err.println("capture: failed: " + message + (error == null ? "" : " (" + error + ")"));
          stopped.countDown();
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    while (System.in.read() != -1) { }
    engine.close();
    stopped.await();
    executor.shutdown();
    System.exit(0);
  }
}
