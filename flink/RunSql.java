// Runs a Flink SQL script on an embedded mini-cluster (one JVM) and prints each query's rows.
// Statements end with ";" at the end of a line. A query is named by a "-- query: NAME" line before it;
// its rows print as "NAME<TAB>KIND<TAB>v1<TAB>v2...", KIND being Flink's change (+I, -U, +U, -D),
// so a reader can apply an upsert query's changelog. Bounded sources ('scan.bounded.mode') end the jobs.
// SET 'key' = 'value'; sets the job's configuration (a checkpoint interval, for one).
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class RunSql {
  public static void main(String[] args) throws Exception {
    String script = Files.readString(Path.of(args[0]));
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    env.getConfig().set("table.local-time-zone", "UTC");
    env.getConfig().set("parallelism.default", "1");
    for (String[] statement : statements(script)) {
      String name = statement[0];
      String sql = statement[1];
      // SET 'key' = 'value' sets the job's configuration, as Flink's SQL client does.
      java.util.regex.Matcher set =
          java.util.regex.Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'").matcher(sql);
      if (set.matches()) {
        env.getConfig().getConfiguration().setString(set.group(1), set.group(2));
        continue;
      }
      TableResult result = env.executeSql(sql);
      if (name == null) {
        result.await();
        continue;
      }
      int rows = 0;
      try (CloseableIterator<Row> it = result.collect()) {
        while (it.hasNext()) {
          Row row = it.next();
          StringBuilder line = new StringBuilder(name).append('\t').append(row.getKind().shortString());
          for (int i = 0; i < row.getArity(); i++) line.append('\t').append(row.getField(i));
          System.out.println(line);
          rows++;
        }
      }
      System.err.println("flink-sql: " + name + ": " + rows + " rows");
    }
  }

  /** [name or null, sql] of each statement. */
  static List<String[]> statements(String script) {
    List<String[]> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String name = null;
    for (String line : script.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("-- query:")) name = trimmed.substring("-- query:".length()).trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().trim();
        out.add(new String[] {name, sql.substring(0, sql.length() - 1)});
        current.setLength(0);
        name = null;
      }
    }
    return out;
  }
}
