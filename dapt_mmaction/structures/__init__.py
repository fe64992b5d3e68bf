"""Names shared by the data pipeline and the models (no heavy imports)."""
