"""Record shapes of desta-data: column names, pydantic models and Arrow schemas (the single source of truth)."""
