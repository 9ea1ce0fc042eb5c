"""The web page and HTTP API of `aktivitetsplan serve`, on Starlette and uvicorn."""
