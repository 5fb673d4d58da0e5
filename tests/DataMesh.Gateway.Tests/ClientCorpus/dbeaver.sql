-- Reconstructed (not captured): what DBeaver's PostgreSQL driver sends on connect and when it reads the navigator
-- (schemas, tables, columns, types, constraints, keywords), written from DBeaver's PostgreSQL plugin
-- (org.jkiss.dbeaver.ext.postgresql: PostgreDataSource, PostgreSchema, PostgreTableBase, PostgreDataType) as the
-- text it sends with its parameters filled in. DBeaver reads metadata through pgjdbc too (pgjdbc-42.5.5.sql).
-- Every entry must run through the gateway as a consumer, with results scoped to the grants.

-- @@ dbeaver: connect
SELECT current_schema(),session_user

-- @@ dbeaver: connect
SHOW search_path

-- @@ dbeaver: connect
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname=current_database()

-- @@ dbeaver: SQL keywords for highlighting
select string_agg(word, ',') from pg_catalog.pg_get_keywords()

-- @@ dbeaver: roles
SELECT a.oid,a.* FROM pg_catalog.pg_roles a ORDER BY a.rolname

-- @@ dbeaver: schemas
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
ORDER BY nspname

-- @@ dbeaver: extensions
SELECT e.oid,e.*,n.nspname FROM pg_catalog.pg_extension e LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace

-- @@ dbeaver: tables of a schema
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname='marketing') AND c.relkind not in ('i','I','c')

-- @@ dbeaver: columns of a table
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid='{{oid:marketing.mkt_sls_table}}'
ORDER BY a.attnum

-- @@ dbeaver: data types
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')

-- @@ dbeaver: constraints of a table
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE c.conrelid='{{oid:marketing.mkt_sls_table}}'
ORDER BY c.oid

-- @@ dbeaver: triggers and policies of a table
SELECT t.oid,t.*,d.description FROM pg_catalog.pg_trigger t
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=t.oid AND d.objsubid=0
WHERE t.tgrelid='{{oid:marketing.mkt_sls_table}}' AND NOT tgisinternal
ORDER BY t.tgname
