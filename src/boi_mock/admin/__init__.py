"""The Campus web UI (server-rendered), mounted at /campus/ui/."""
