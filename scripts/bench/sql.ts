/** An SQL string literal. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The rows of the write-scan table with ids in [from, to): id BIGINT, ts TIMESTAMP (one second
 * apart), category VARCHAR (20 values) and amount DOUBLE. Deterministic, so both sides of a
 * comparison write exactly the same rows.
 */
export function salesRows(from: number, to: number): string {
  return `SELECT i AS id,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS ts,
    'category_' || lpad(CAST(hash(i) % 20 AS VARCHAR), 2, '0') AS category,
    CAST(hash(i + 7919) % 1000000 AS DOUBLE) / 100 AS amount
  FROM range(${from}, ${to}) AS r(i)`;
}

/** The read-back aggregate of write-scan over any relation with the sales columns. */
export function salesAggregate(relation: string): string {
  return `SELECT category, count(*) AS n, sum(amount) AS amount, min(ts) AS first, max(ts) AS last
    FROM ${relation} GROUP BY category ORDER BY category`;
}

/**
 * One day of the skipping table: ids continue from day to day, `day` is the same on every row and
 * `ts` is spread evenly over the day.
 */
export function dayRows(day: number, rowsPerDay: number): string {
  const first = day * rowsPerDay;
  const step = Math.floor(86_400_000_000 / rowsPerDay);
  return `SELECT ${first} + j AS id,
    DATE '2024-01-01' + ${day} AS day,
    TIMESTAMP '2024-01-01 00:00:00' + to_days(${day}) + to_microseconds(j * ${step}) AS ts,
    'category_' || lpad(CAST(hash(${first} + j) % 20 AS VARCHAR), 2, '0') AS category,
    CAST(hash(${first} + j + 7919) % 1000000 AS DOUBLE) / 100 AS amount
  FROM range(0, ${rowsPerDay}) AS r(j)`;
}

/** `DATE 'YYYY-MM-DD'` of a day number of `dayRows`. */
export function dayDate(day: number): string {
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
}

/**
 * The files a DuckDB query reads through `read_parquet([...])` list literals. Used to count the
 * files a Delta scan kept after data skipping, from the SQL it generates.
 */
export function readParquetFiles(sql: string): string[] {
  const files: string[] = [];
  const marker = 'read_parquet([';
  for (let at = sql.indexOf(marker); at >= 0; at = sql.indexOf(marker, at + 1)) {
    let i = at + marker.length;
    while (i < sql.length && sql[i] !== ']') {
      if (sql[i] === "'") {
        let value = '';
        for (i++; i < sql.length; i++) {
          if (sql[i] === "'" && sql[i + 1] === "'") {
            value += "'";
            i++;
          } else if (sql[i] === "'") break;
          else value += sql[i];
        }
        files.push(value);
      }
      i++;
    }
  }
  return files;
}
