"""Publishing a built dataset: shards and a dataset card (`shard`), the trainer's JSONL (`export`), the Hub
upload (`publish`), the plots (`report`). `pipeline/` runs a build; this package reads what it wrote."""
