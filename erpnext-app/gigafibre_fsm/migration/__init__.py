"""The batch upsert behind `fsm migrate` and `fsm seed` (decision 0008): rows.py decides, row by
row, insert, update or unchanged; bulk.py inserts new documents of the big doctypes a batch at a
time, each still through Frappe's document layer, helped by reads.py (a batch's repeated reads
served once) and series.py (one naming-series lock per batch); history.py gives migrated
messages their effect on their ticket once per ticket; quiet.py marks history and keeps a
migration from doing live work; failures.py words a refused row; assumed.py stands in, in a dry
run, for documents earlier steps would have written."""
