"""nakpump serve: a browser explorer of the Na+/K+ pump (FastAPI + uvicorn; see docs/serve.md)."""
