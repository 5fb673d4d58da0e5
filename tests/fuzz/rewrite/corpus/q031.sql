SELECT * FROM "sales" WHERE "region" = 'x' -- comment
