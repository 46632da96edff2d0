"""Wire shapes shared by the server and the vendor-facing client (issue 13, item 4).

Imports nothing of boi_mock (only pydantic), so `boi_mock.client` can use them without importing the
server, and the server declares them as its response models, so /_mock's OpenAPI documents them.
"""
