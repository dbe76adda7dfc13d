"""The assistant: retrieval, question understanding, answer engines and the Answer contract."""
