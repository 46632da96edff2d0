"""One module per Campus tool; each router is mounted under /{appName} by app/admin/app.py."""
