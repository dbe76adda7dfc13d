"""Policy ingest: loaders -> normalised text -> clause tree -> knowledge base."""
