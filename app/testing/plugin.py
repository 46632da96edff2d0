"""Placeholder: the boi-mock pytest plugin (fixtures `boi_server`, `boi_district`)."""
