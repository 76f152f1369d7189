"""Equipment as ERPNext stock: which warehouse stands for which place, the Stock Entries a job or
an RMA posts, and the opening stock of a migrated or seeded site (docs/equipment-stock.md)."""
