"""The batch upsert behind `fsm migrate` and `fsm seed`: rows.py decides, row by row, insert,
update or unchanged; bulk.py inserts new documents of the big doctypes at database speed, each
still through Frappe's document layer; reads.py serves a batch's repeated reads once; history.py
gives migrated messages their effect on their ticket once per ticket; assumed.py stands in, in a
dry run, for documents earlier steps would have written."""
