"""One module per Campus tool; each router is mounted under /{appName} by boi_mock/admin/app.py."""
