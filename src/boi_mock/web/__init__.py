"""The web layer shared by the three HTTP faces (`api`, `control`, `admin`): the request's unit of work,
problem+json rendering, the one JSON parser. It sits between them and `services` (docs/architecture.md)."""
