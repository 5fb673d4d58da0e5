-- Real source (not captured): the queries DBeaver's PostgreSQL plugin sends when it connects and when its navigator
-- opens the schema marketing and the table mkt_sls_table, written out from dbeaver/dbeaver commit
-- 2428359b748778a5a345432906ab3da69289c20c (24.2.3-21-g2428359b74, 2024-10-24),
-- plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/: model/PostgreDataSource.java
-- (database list with the default "show templates"/"show unavailable" off, version, meta-object probes),
-- model/PostgreExecutionContext.java (context defaults), model/PostgreDatabase.java (database info, roles, data types,
-- SchemaCache, enum values), model/PostgreSchema.java (TableCache with its columns, ConstraintCache, IndexCache),
-- PostgreUtils.java (isMetaObjectExists), with a server of version 16.4 (the >= 10 branches). JDBC parameters are
-- written in as literals: the connection's database 'ml_research', {{oid:marketing}} for the schema's OID and
-- {{oid:marketing.mkt_sls_table}} for the table's. DBeaver (Java, Eclipse RCP) cannot be run here to capture it.
-- Every entry must run through the gateway as a consumer, with results scoped to the grants.

-- @@ dbeaver PostgreDataSource.prepareObjectsStatement: the database list
-- parameters: 'ml_research'
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE 1 = 1 AND datallowconn AND NOT datistemplate OR db.datname ='ml_research'
ORDER BY db.datname

-- @@ dbeaver PostgreDataSource.initialize
SELECT version()

-- @@ dbeaver PostgreDataSource.initialize: PostgreUtils.isMetaObjectExists("pg_enum", "*") (server >= 12)
SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1

-- @@ dbeaver PostgreDataSource.initialize: PostgreUtils.isMetaObjectExists("pg_class", "reltype")
SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1

-- @@ dbeaver PostgreDatabase.readDatabaseInfo
-- parameters: 'ml_research'
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='ml_research'

-- @@ dbeaver PostgreExecutionContext.refreshDefaults
SELECT current_schema(),session_user

-- @@ dbeaver PostgreExecutionContext.refreshDefaults
SHOW search_path

-- @@ dbeaver PostgreDatabase.SchemaCache (no schema filter)
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
 ORDER BY nspname

-- @@ dbeaver PostgreDatabase.cacheDataTypes (all schemas, typcategory column present)
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem 
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')

-- @@ dbeaver PostgreDatabase.EnumValueCache
SELECT * FROM pg_catalog.pg_enum

-- @@ dbeaver PostgreDatabase.RoleCache (server type supports comments on roles)
SELECT a.oid,a.*,pd.description FROM pg_catalog.pg_roles a 
left join pg_catalog.pg_shdescription pd on a.oid = pd.objoid
ORDER BY a.rolname

-- @@ dbeaver PostgreSchema.TableCache: the tables of schema marketing
-- parameters: {{oid:marketing}}
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace={{oid:marketing}} AND c.relkind not in ('i','I','c')

-- @@ dbeaver PostgreSchema.TableCache: the columns of table mkt_sls_table
-- parameters: {{oid:marketing.mkt_sls_table}}
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid={{oid:marketing.mkt_sls_table}}
ORDER BY a.attnum

-- @@ dbeaver PostgreSchema.TableCache: the columns of every table of schema marketing
-- parameters: {{oid:marketing}}
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.relnamespace={{oid:marketing}}
ORDER BY a.attnum

-- @@ dbeaver PostgreSchema.ConstraintCache: the constraints of table mkt_sls_table
-- parameters: {{oid:marketing.mkt_sls_table}}
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE c.conrelid={{oid:marketing.mkt_sls_table}}
ORDER BY c.oid

-- @@ dbeaver PostgreSchema.ConstraintCache: the constraints of schema marketing
-- parameters: {{oid:marketing}}
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE t.relnamespace={{oid:marketing}}
ORDER BY c.oid

-- @@ dbeaver PostgreSchema.IndexCache: the indexes of table mkt_sls_table (server type supports relation sizes)
-- parameters: {{oid:marketing.mkt_sls_table}}
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  i.indrelid={{oid:marketing.mkt_sls_table}} ORDER BY c.relname
