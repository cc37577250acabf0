"""GraphQL over HTTP as the spec asks, on top of Strawberry's FastAPI router.

- A request that never reaches execution (it does not parse, does not validate, or its
  variables do not fit) is answered 400, without a `data` entry.
- A mutation sent with GET is refused with 405 and `Allow: GET, POST` (GET is for reads, and may
  be cached or prefetched).
- Browsers asking for HTML get the product's GraphiQL, built from web/ (never Strawberry's page,
  which loads its scripts from a CDN).
- A client that prefers `application/graphql-response+json` (by its Accept qualities) gets that
  media type; others get `application/json`.
- A body that is not a GraphQL request (not UTF-8, not JSON, not an object, nested too deeply,
  numbers too long to convert) is answered 400, and every refusal of the transport (400, 404,
  405) is a GraphQL-shaped `{"errors": [...]}` document, never plain text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette import status
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api.errors import error_body
from api.web import graphiql_page

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
MEDIA_TYPE_ATTRIBUTE = "graphql_media_type"
ERROR_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
MAX_INTEGER_DIGITS = 100  # far beyond any ID or count; Python refuses to convert 4,300 and more
JSON_CONTAINERS = (b"{", b"[")  # a list is a batch, which Strawberry refuses with its own message


def is_request_error(result: ExecutionResult) -> bool:
    """Errors raised before execution began carry no path; field errors always do."""
    return result.data is None and bool(result.errors) and all(error.path is None for error in result.errors or ())


def response_media_type(accept: str) -> str:
    """`application/graphql-response+json` when the client names it with a quality at least that
    of `application/json` (wildcards count for JSON only, so generic clients keep it); else JSON."""
    wanted = {JSON: 0.0, GRAPHQL_RESPONSE_JSON: 0.0}
    for media_range, quality in _accepted(accept):
        for media_type in wanted:
            if media_range == media_type or (media_type == JSON and media_range in ("*/*", "application/*")):
                wanted[media_type] = max(wanted[media_type], quality)
    preferred = wanted[GRAPHQL_RESPONSE_JSON]
    return GRAPHQL_RESPONSE_JSON if preferred > 0 and preferred >= wanted[JSON] else JSON


def _accepted(accept: str) -> list[tuple[str, float]]:
    """(media range, quality) for each entry of an Accept header; a malformed quality counts as 1."""
    found = []
    for entry in accept.split(","):
        media_range, *parameters = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 1.0
        if media_range:
            found.append((media_range.lower(), quality))
    return found


class AllowOnMethodNotAllowed:
    """RFC 9110 asks a 405 to name the methods the resource allows: the GraphQL endpoint refuses
    a mutation sent with GET but takes it with POST."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app, self.path = app, path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return

        async def allowing(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == status.HTTP_405_METHOD_NOT_ALLOWED:
                message = {**message, "headers": [*message.get("headers", []), (b"allow", b"GET, POST")]}
            await send(message)

        await self.app(scope, receive, allowing)


def decoded_json(data: str | bytes) -> object:
    """`data` as JSON, or an HTTPException (400) saying why it is not."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise HTTPException(400, f"the request is not valid UTF-8 (byte {error.start})") from None
    try:
        return json.loads(text, parse_int=_integer)
    except RecursionError:
        raise HTTPException(400, "the request's JSON is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers beyond Python's digit limit
        raise HTTPException(400, f"the request is not valid JSON: {str(error)[:200]}") from None


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise HTTPException(400, f"the request holds an integer of {len(digits)} digits; at most {MAX_INTEGER_DIGITS} are taken")
    return int(digits)


class GraphQLHTTPRouter(GraphQLRouter[Any, Any]):
    def __init__(self, schema: Any, web_dir: Path, **options: Any) -> None:
        super().__init__(schema, graphql_ide="graphiql", **options)
        self.web_dir = web_dir

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return graphiql_page(self.web_dir)

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        """Strawberry's answer, with its transport refusals as GraphQL-shaped JSON rather than plain text."""
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:
            code = ERROR_CODES.get(error.status_code, "BAD_REQUEST")
            return Response(error_body(error.reason, code), status_code=error.status_code, media_type=JSON)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        if request.method == "POST" and JSON in (request.content_type or ""):
            body = (await request.get_body()).lstrip()
            if not body.startswith(JSON_CONTAINERS):
                raise HTTPException(400, "the request body must be a JSON object: {\"query\": \"…\", \"variables\": {…}}")
        return await super().parse_http_body(request)

    def decode_json(self, data: str | bytes) -> object:
        return decoded_json(data)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        setattr(sub_response, MEDIA_TYPE_ATTRIBUTE, response_media_type(request.headers.get("accept", "")))
        try:
            result = await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED, f"{error.reason}; send them with POST") from error
            raise
        if is_request_error(result):
            sub_response.status_code = status.HTTP_400_BAD_REQUEST
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if is_request_error(result):
            response.pop("data", None)  # the spec: no `data` entry when execution never began
        return response

    def encode_json(self, data: object) -> str:
        # Chinese as UTF-8 rather than \uXXXX escapes: half the bytes, readable in any tool.
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = Response(
            self.encode_json(response_data),
            media_type=getattr(sub_response, MEDIA_TYPE_ATTRIBUTE, JSON),
            status_code=sub_response.status_code or status.HTTP_200_OK,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        return response
