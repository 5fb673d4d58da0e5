using Npgsql;

// Default settings: opening the first connection loads the server's types; GetSchema reads tables and columns.
await using var dataSource = NpgsqlDataSource.Create(args[0]);
await using var connection = await dataSource.OpenConnectionAsync();
connection.GetSchema("Tables");
connection.GetSchema("Columns");
connection.GetSchema("Views");
await using var command = new NpgsqlCommand("select * from marketing.mkt_sls_table", connection);
await using var reader = await command.ExecuteReaderAsync();
reader.GetColumnSchema();
