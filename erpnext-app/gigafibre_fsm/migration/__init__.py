"""The batch upsert behind `fsm migrate` and `fsm seed` (decision 0008): rows.py decides, row by
row, insert, update or unchanged; bulk.py inserts new documents of the big doctypes a batch at a
time, each still through Frappe's document layer, helped by reads.py (a batch's repeated reads
served once), series.py (one naming-series lock per batch), cache.py (a batch's Redis traffic
sent once) and templates.py (a template compiled once per call), each wrapping Frappe's own
function through wrapping.py; history.py gives migrated
messages their effect on their ticket once per ticket; quiet.py marks history and keeps a
migration from doing live work; failures.py words a refused row; assumed.py stands in, in a dry
run, for documents earlier steps would have written."""
