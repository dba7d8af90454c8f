"""One module per page of the main window; each page gets the context and the executor."""
