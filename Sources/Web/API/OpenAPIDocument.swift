/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`.
/// Kept beside the controllers; a test checks every API route appears here.
enum OpenAPIDocument {
    static let json = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Quire API", "version": "1.0.0",
               "description": "Read endpoints compatible with Hugging Face's papers API, plus Quire's own. Errors are JSON objects {\\"error\\": message}."},
      "paths": {
        "/api/daily_papers": {"get": {
          "summary": "Papers on the daily list (Hugging Face compatible)",
          "parameters": [
            {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "A day, YYYY-MM-DD"},
            {"name": "week", "in": "query", "schema": {"type": "string", "pattern": "^\\\\d{4}-W\\\\d{2}$"}, "description": "An ISO week, YYYY-Www"},
            {"name": "month", "in": "query", "schema": {"type": "string", "pattern": "^\\\\d{4}-\\\\d{2}$"}, "description": "A month, YYYY-MM"},
            {"name": "submitter", "in": "query", "schema": {"type": "string"}, "description": "Only papers this user put on the daily list"},
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["publishedAt", "trending"], "default": "publishedAt"}},
            {"name": "p", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}, "description": "0-based page"},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}}
          ],
          "responses": {
            "200": {"description": "Entries; a Link header with rel=\\"next\\" when there are more",
                    "headers": {"Link": {"schema": {"type": "string"}}, "X-Total-Count": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DailyEntry"}}}}},
            "400": {"$ref": "#/components/responses/Error"}
          }}},
        "/api/papers/search": {"get": {
          "summary": "Search papers (Hugging Face compatible)",
          "parameters": [
            {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 250}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 120, "default": 50}}
          ],
          "responses": {
            "200": {"description": "Matching entries, best first", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DailyEntry"}}}}},
            "400": {"$ref": "#/components/responses/Error"}
          }}},
        "/api/papers/{id}": {"get": {
          "summary": "One paper (Hugging Face compatible)",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "arXiv id (with or without version) or Quire id"}],
          "responses": {
            "200": {"description": "The paper", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Paper"}}}},
            "404": {"$ref": "#/components/responses/Error"}
          }}},
        "/api/authors/{slug}": {"get": {
          "summary": "An author and their papers",
          "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}},
                         {"name": "p", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                         {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
          "responses": {"200": {"description": "The author", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}},
                        "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/organizations/{slug}": {"get": {
          "summary": "An organization and its papers",
          "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}},
                         {"name": "p", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                         {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
          "responses": {"200": {"description": "The organization", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}},
                        "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/stats": {"get": {
          "summary": "Counts of what the database holds",
          "responses": {"200": {"description": "Counts", "content": {"application/json": {"schema": {"type": "object",
            "properties": {"papers": {"type": "integer"}, "authors": {"type": "integer"}, "organizations": {"type": "integer"},
                           "onDailyList": {"type": "integer"}, "firstDay": {"type": ["string", "null"]}, "lastDay": {"type": ["string", "null"]}}}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
      },
      "components": {
        "responses": {"Error": {"description": "What was wrong", "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}}}}},
        "schemas": {
          "User": {"type": "object", "properties": {"name": {"type": "string"}, "user": {"type": "string"}, "fullname": {"type": "string"}, "type": {"type": "string"}, "avatarUrl": {"type": "string"}}},
          "Organization": {"type": "object", "properties": {"_id": {"type": "string"}, "name": {"type": "string"}, "fullname": {"type": "string"}}},
          "Paper": {"type": "object", "required": ["id", "title", "summary", "authors", "upvotes"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "summary": {"type": "string"},
            "authors": {"type": "array", "items": {"type": "object", "properties": {"_id": {"type": "string"}, "name": {"type": "string"}, "hidden": {"type": "boolean"}}}},
            "publishedAt": {"type": "string", "format": "date-time", "description": "First arXiv submission"},
            "submittedOnDailyAt": {"type": "string", "format": "date-time", "description": "When it was put on the daily list"},
            "submittedOnDailyBy": {"$ref": "#/components/schemas/User"},
            "upvotes": {"type": "integer"}, "discussionId": {"type": "string"},
            "organization": {"$ref": "#/components/schemas/Organization"},
            "githubRepo": {"type": "string"}, "githubStars": {"type": "integer"}, "projectPage": {"type": "string"},
            "categories": {"type": "array", "items": {"type": "string"}}, "withdrawn": {"type": "boolean"}, "version": {"type": "integer"},
            "doi": {"type": "string"}, "journalRef": {"type": "string"}, "comments": {"type": "string"}, "license": {"type": "string"},
            "numAuthors": {"type": "integer"}}},
          "Span": {"type": "object", "properties": {"text": {"type": "string"}, "highlighted": {"type": "boolean"}}},
          "DailyEntry": {"type": "object", "required": ["paper", "title"], "properties": {
            "paper": {"$ref": "#/components/schemas/Paper"}, "publishedAt": {"type": "string", "format": "date-time"},
            "title": {"type": "string"}, "summary": {"type": "string"}, "thumbnail": {"type": "string"}, "numComments": {"type": "integer"},
            "submittedBy": {"$ref": "#/components/schemas/User"}, "organization": {"$ref": "#/components/schemas/Organization"},
            "highlightedTitle": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}},
            "highlightedSummary": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}}}},
          "Group": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "numPapers": {"type": "integer"},
                    "papers": {"type": "array", "items": {"$ref": "#/components/schemas/Paper"}}}}
        }
      }
    }
    """
}
