"""Every package's tables in one metadata: the one chain of migrations covers them all."""

import api.staff.tables
import narration.tables
import sites_data.db
import sites_data.jobs

metadata = sites_data.db.Base.metadata

# Each package owns its tables; these are the modules that declare them.
TABLE_MODULES = (sites_data.db, sites_data.jobs, api.staff.tables, narration.tables)
