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
        "/api/me": {"get": {"summary": "The signed-in reader", "security": [{"token": []}],
          "responses": {"200": {"description": "The reader", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reader"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/me/digest": {"get": {"summary": "The reader's digest settings, follows, saved searches and recent deliveries", "security": [{"token": []}],
          "responses": {"200": {"description": "Settings"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/me/export": {"get": {"summary": "Everything Quire holds about the reader", "security": [{"token": []}],
          "responses": {"200": {"description": "User, upvotes, submissions, comments, collections, memberships, token names"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/api/upvotes/{paper}": {
          "parameters": [{"name": "paper", "in": "path", "required": true, "schema": {"type": "string"}}],
          "post": {"summary": "Upvote a paper (repeating is harmless)", "security": [{"token": []}], "responses": {
            "200": {"description": "The new state", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpvoteState"}}}},
            "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Take an upvote back", "security": [{"token": []}], "responses": {
            "200": {"description": "The new state", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpvoteState"}}}},
            "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
        "/api/submissions": {"post": {"summary": "Put a paper on today's daily list (per-reader daily cap, no duplicates, recent papers only)", "security": [{"token": []}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["paper"],
            "properties": {"paper": {"type": "string", "description": "arXiv id or URL"}, "comment": {"type": "string", "maxLength": 1000}}}}}},
          "responses": {"201": {"description": "Submitted"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                        "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"},
                        "429": {"$ref": "#/components/responses/Error"}}}},
        "/api/comments": {
          "get": {"summary": "A paper's comments (hidden ones only for moderators and their authors)",
            "parameters": [{"name": "paper", "in": "query", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Comments, oldest first, with their safe HTML", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}}}}},
                          "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Comment on a paper, or reply to a top-level comment", "security": [{"token": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["paper", "body"],
              "properties": {"paper": {"type": "string"}, "body": {"type": "string", "maxLength": 10000}, "parentId": {"type": "integer"}}}}}},
            "responses": {"201": {"description": "The comment", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Comment"}}}},
                          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
        "/api/comments/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
          "patch": {"summary": "Edit your comment", "security": [{"token": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["body"], "properties": {"body": {"type": "string"}}}}}},
            "responses": {"200": {"description": "The comment"}, "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Delete your comment", "security": [{"token": []}],
            "responses": {"204": {"description": "Deleted"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/comments/{id}/hide": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
          "post": {"summary": "Hide a comment (moderators)", "security": [{"token": []}], "responses": {"200": {"description": "The comment"}, "403": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Show a hidden comment again (moderators)", "security": [{"token": []}], "responses": {"200": {"description": "The comment"}, "403": {"$ref": "#/components/responses/Error"}}}},
        "/api/collections": {
          "get": {"summary": "Your collections", "security": [{"token": []}], "responses": {"200": {"description": "Collections", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}}}}}},
          "post": {"summary": "Create a collection", "security": [{"token": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CollectionInput"}}}},
            "responses": {"201": {"description": "The collection"}, "400": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/collections/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
          "get": {"summary": "A public collection, or one of yours, with its papers and notes", "responses": {"200": {"description": "The collection"}, "404": {"$ref": "#/components/responses/Error"}}},
          "patch": {"summary": "Rename, describe, publish or unpublish", "security": [{"token": []}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/CollectionInput"}}}},
            "responses": {"200": {"description": "The collection"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Delete a collection", "security": [{"token": []}], "responses": {"204": {"description": "Deleted"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/collections/{id}/papers/{paper}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}, {"name": "paper", "in": "path", "required": true, "schema": {"type": "string"}}],
          "put": {"summary": "Save a paper into the collection, with an optional note", "security": [{"token": []}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"note": {"type": "string", "maxLength": 500}}}}}},
            "responses": {"204": {"description": "Saved"}, "404": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Remove a paper from the collection", "security": [{"token": []}], "responses": {"204": {"description": "Removed"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/organizations": {"post": {"summary": "Create an organization (you become its admin)", "security": [{"token": []}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}},
          "responses": {"201": {"description": "The organization"}, "400": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/organizations/{slug}/members": {
          "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "Members and pending requests", "responses": {"200": {"description": "Members"}, "404": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Ask to join", "security": [{"token": []}], "responses": {"202": {"description": "Asked; an admin approves"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/api/organizations/{slug}/members/{username}/approve": {"post": {"summary": "Approve a member, or make an admin (organization admins)", "security": [{"token": []}],
          "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "username", "in": "path", "required": true, "schema": {"type": "string"}}],
          "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"role": {"type": "string", "enum": ["member", "admin"]}}}}}},
          "responses": {"204": {"description": "Approved"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/api/organizations/{slug}/claims": {"post": {"summary": "Claim a paper for the organization (approved members)", "security": [{"token": []}],
          "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["paper"], "properties": {"paper": {"type": "string"}}}}}},
          "responses": {"204": {"description": "Claimed"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
      },
      "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "A personal API token from your account page. Writes are rate-limited per reader and per address (429 with Retry-After)."}},
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
          "Reader": {"type": "object", "properties": {"id": {"type": "integer"}, "username": {"type": "string"}, "email": {"type": "string"},
                     "emailConfirmed": {"type": "boolean"}, "role": {"type": "string", "enum": ["reader", "moderator", "admin"]}, "createdAt": {"type": "string", "format": "date-time"}}},
          "UpvoteState": {"type": "object", "properties": {"paperId": {"type": "string"}, "upvoted": {"type": "boolean"}, "upvotes": {"type": "integer"}}},
          "Comment": {"type": "object", "properties": {"id": {"type": "integer"}, "paperId": {"type": "string"}, "parentId": {"type": ["integer", "null"]},
                      "author": {"type": "string"}, "body": {"type": "string"}, "html": {"type": "string", "description": "The body rendered safely"},
                      "createdAt": {"type": "string", "format": "date-time"}, "editedAt": {"type": ["string", "null"], "format": "date-time"},
                      "hidden": {"type": "boolean"}, "deleted": {"type": "boolean"}}},
          "Collection": {"type": "object", "properties": {"id": {"type": "integer"}, "owner": {"type": "string"}, "name": {"type": "string"},
                         "description": {"type": "string"}, "isPublic": {"type": "boolean"}, "paperCount": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}}},
          "CollectionInput": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 80}, "description": {"type": "string", "maxLength": 500}, "isPublic": {"type": "boolean"}}},
          "Group": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "numPapers": {"type": "integer"},
                    "papers": {"type": "array", "items": {"$ref": "#/components/schemas/Paper"}}}}
        }
      }
    }
    """
}
