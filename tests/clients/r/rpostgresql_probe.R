# R's RPostgreSQL (Debian r-cran-rpostgresql) through DBI: connect, dbListFields / dbColumnInfo, parameters of every
# common type through dbGetQuery's params (PQexecParams), 100,000 rows fetched in chunks, and an error raised in R.
# Prints one JSON-ish line of facts (built by hand: no JSON package is assumed) for Clients/PerlPhpRTests.
suppressMessages(library(RPostgreSQL))
env <- function(name, fallback) { v <- Sys.getenv(name); if (v == "") fallback else v }
con <- dbConnect(PostgreSQL(), host = env("DM_HOST", "127.0.0.1"), port = as.integer(Sys.getenv("DM_PORT")),
                 user = env("DM_USER", "bob"), password = env("DM_PASSWORD", "bob"), dbname = env("DM_DATABASE", "ml_research"))
q <- function(s) paste0('"', gsub('"', '\\\\"', gsub("\\", "\\\\", s, fixed = TRUE)), '"')
arr <- function(x) paste0("[", paste(x, collapse = ","), "]")
facts <- c()

facts["fields"] <- arr(q(dbListFields(con, c("marketing", "mkt_sls_table"))))
res <- dbSendQuery(con, "SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= 8 ORDER BY item_id")
info <- dbColumnInfo(res)
first <- fetch(res, n = -1)
dbClearResult(res)
facts["columns"] <- arr(q(paste(info$name, info$Sclass)))
facts["first"] <- arr(q(c(first$item_id[1], first$region[1], format(first$sale_date[1]), format(first$amount[1], nsmall = 2))))

p <- dbGetQuery(con, paste("SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o,",
                           "$7::date AS d, $8::timestamp AS ts, $9::bytea AS by, $10::uuid AS u"),
                list(42L, "9007199254740993", "1234567.125", 1.5, "h\u00e9llo w\u00f6rld", TRUE, "2024-02-29",
                     "2024-02-29 13:45:10.123456", "\\x0001ff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
facts["params"] <- arr(q(c(p$i, format(p$b, scientific = FALSE), p$n, p$f, p$t, p$o, format(p$d), format(p$ts, "%Y-%m-%d %H:%M:%OS6"), p$by, p$u)))

res <- dbSendQuery(con, "SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000")
count <- 0; total <- 0
repeat {
  chunk <- fetch(res, n = 10000)
  if (nrow(chunk) == 0) break
  count <- count + nrow(chunk); total <- total + sum(as.numeric(chunk$item_id))
}
dbClearResult(res)
facts["rows"] <- paste0('{"count":', format(count, scientific = FALSE), ',"sum":', format(total, scientific = FALSE), '}')

# RPostgreSQL reports a failed statement as an R error (dbSendQuery) or warning (dbGetQuery), with the server's message.
err <- tryCatch({ dbGetQuery(con, "SELECT customer_email FROM mkt_sls_table"); "none" },
                error = function(e) conditionMessage(e), warning = function(w) conditionMessage(w))
err <- paste(err, dbGetException(con)$errorMsg)
facts["error"] <- q(gsub("\n", " ", err))
facts["after"] <- dbGetQuery(con, "SELECT 1 AS one")$one
invisible(dbDisconnect(con))
cat(paste0("{", paste(paste0('"', names(facts), '":', facts), collapse = ","), "}\n"))
