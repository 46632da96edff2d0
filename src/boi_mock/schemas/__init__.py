"""Wire schemas (pydantic v2): the same models validate requests and generate the OpenAPI document."""
