"""The OpenAPI 3.1 document of the public API, built from a small registry of endpoints."""

from typing import Any

from django.conf import settings

from drafts.models import Draft

CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": "Opaque; from next_cursor.",
    "schema": {"type": "string"},
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
}
SINCE = {
    "name": "updated_since",
    "in": "query",
    "description": "ISO 8601 date or date-time.",
    "schema": {"type": "string", "format": "date-time"},
}
DRAFT = {"name": "draft", "in": "query", "schema": {"type": "integer"}}
AGENCY = {
    "name": "agency",
    "in": "query",
    "description": "Agency code, e.g. minjust.",
    "schema": {"type": "string"},
}


def _path_int(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


# (path, operationId, summary, parameters, is_list, content type)
ENDPOINTS: list[tuple[str, str, str, list[dict[str, Any]], bool, str]] = [
    (
        "/api/drafts",
        "listDrafts",
        "Public drafts",
        [
            {"name": "status", "in": "query", "schema": {"enum": Draft.Status.values}},
            {"name": "kind", "in": "query", "schema": {"enum": Draft.Kind.values}},
            AGENCY,
            SINCE,
        ],
        True,
        "application/json",
    ),
    (
        "/api/drafts/{pk}",
        "getDraft",
        "One public draft",
        [_path_int("pk")],
        False,
        "application/json",
    ),
    (
        "/api/drafts/{pk}/versions",
        "listVersions",
        "Versions of a draft",
        [_path_int("pk")],
        True,
        "application/json",
    ),
    (
        "/api/drafts/{pk}/versions/{number}",
        "getVersion",
        "A version with its structured text",
        [_path_int("pk"), _path_int("number")],
        False,
        "application/json",
    ),
    (
        "/api/drafts/{pk}/versions/{number}/akn.xml",
        "getVersionAkn",
        "A version as an Akoma Ntoso bill",
        [_path_int("pk"), _path_int("number")],
        False,
        "application/akn+xml",
    ),
    (
        "/api/comments",
        "listComments",
        "Public comments (neither hidden nor deleted)",
        [DRAFT, SINCE],
        True,
        "application/json",
    ),
    (
        "/api/dispositions",
        "listDispositions",
        "The drafting agencies' answers to comments",
        [DRAFT, SINCE],
        True,
        "application/json",
    ),
    (
        "/api/rounds",
        "listRounds",
        "Voting rounds; results only once closed",
        [
            DRAFT,
            {"name": "status", "in": "query", "schema": {"enum": ["open", "closed"]}},
            AGENCY,
            SINCE,
        ],
        True,
        "application/json",
    ),
    (
        "/api/rounds/{pk}",
        "getRound",
        "A round; after closing, its result and each vote",
        [_path_int("pk")],
        False,
        "application/json",
    ),
    (
        "/api/exports",
        "listExports",
        "E-parliament export bundles",
        [DRAFT, SINCE],
        True,
        "application/json",
    ),
    (
        "/api/exports/{pk}",
        "getExport",
        "An export bundle (see bundle-v1.json)",
        [_path_int("pk")],
        False,
        "application/json",
    ),
    (
        "/api/exports/{pk}/{name}.xml",
        "getExportDocument",
        "One Akoma Ntoso document of an export",
        [
            _path_int("pk"),
            {
                "name": "name",
                "in": "path",
                "required": True,
                "schema": {
                    "enum": ["bill", "votingResult", "dispositionTable", "impactAssessment"]
                },
            },
        ],
        False,
        "application/akn+xml",
    ),
    (
        "/api/open-data.zip",
        "getOpenData",
        "Everything public as CSV and JSON in a ZIP",
        [],
        False,
        "application/zip",
    ),
    (
        "/api/schemas/bundle-v1.json",
        "getBundleSchema",
        "The JSON Schema of export bundles",
        [],
        False,
        "application/json",
    ),
]

ERRORS = {
    "400": "Bad cursor or filter",
    "401": "Unknown or revoked token",
    "404": "Not found",
    "429": "Throttled; see Retry-After",
}


def _operation(op_id: str, summary: str, params: list, is_list: bool, ctype: str) -> dict:
    if is_list:
        params = [*params, CURSOR, LIMIT]
        schema: dict[str, Any] = {"$ref": "#/components/schemas/Page"}
    elif ctype == "application/json":
        schema = {"type": "object"}
    else:
        schema = {"type": "string"}
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {ctype: {"schema": schema}}}
    }
    for code, text in ERRORS.items():
        responses[code] = {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return {
        "operationId": op_id,
        "summary": summary,
        "parameters": params,
        "responses": responses,
        "security": [{}, {"bearer": []}],
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SOVAZ public API",
            "version": "1.0.0",
            "description": "Read-only access to drafts, versions, public comments, dispositions, "
            "voting rounds and e-parliament exports. Anonymous clients are throttled more "
            "strictly than clients with a bearer token.",
        },
        "servers": [{"url": settings.SITE_URL}],
        "paths": {
            path: {"get": _operation(op_id, summary, params, is_list, ctype)}
            for path, op_id, summary, params, is_list, ctype in ENDPOINTS
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Page": {
                    "type": "object",
                    "required": ["results", "next_cursor", "next"],
                    "properties": {
                        "results": {"type": "array", "items": {"type": "object"}},
                        "next_cursor": {"type": ["string", "null"]},
                        "next": {"type": ["string", "null"]},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
            },
        },
    }
