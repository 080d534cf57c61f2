"""`clausegen serve`: the routes of the web page, on the same engine as the command line.

Pages are rendered on the server from one form that carries the whole draft (forms.py); the
page's JavaScript only asks /preview for one article while values change. Safety lives here:
a CSRF token per browser (cookie + form field) on every POST, a size limit on every request
body and on an uploaded spec, allowed Host names on loopback, an access token off loopback,
and an error page with the message, never a traceback.
"""
from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import params
from ..errors import ClausegenError, SpecError
from ..model import POSITIONS, PROBLEM_LEVELS, Finding
from . import forms
from .rounds import Rounds, default_folder, safe_name
from .texts import UI_LANGUAGES, translator

MAX_BODY = 1024 * 1024          # any request body
MAX_UPLOAD = 256 * 1024         # an uploaded spec file
CSRF_COOKIE = "clausegen_csrf"
TOKEN_COOKIE = "clausegen_token"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "toml": "application/toml; charset=utf-8"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def dom_id(*parts: str) -> str:
    """An HTML id from clause ids and parameter names."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


# ---------------------------------------------------------------- what a page shows


@dataclass
class ParamView:
    name: str
    field: str
    id: str
    label: str
    help: str
    type: str
    raw: str                        # what the user typed ("" follows the position)
    choices: tuple = ()
    limits: str = ""
    better: str = ""
    ladder: dict[str, str] = field(default_factory=dict)   # position -> formatted value
    current: str = ""
    effective: str = ""
    source: str = ""                # "spec" or the position it follows
    error: str = ""


@dataclass
class ClauseView:
    id: str
    dom: str
    title: str
    summary: str
    theme: str
    ticked: bool
    always: bool
    recommended: bool
    position: str                    # own position or ""
    effective_position: str
    params: list[ParamView]
    preview: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: str = ""


def _text(texts: dict, language: str) -> str:
    return texts.get(language) or texts.get("nl") or next(iter(texts.values()), "")


class Web:
    """The page's engine: the library from the plugin host, the rounds, the templates."""

    def __init__(self, plugins_dir=None, data_dir=None):
        from ..plugin_host import get_host
        self.host = get_host(plugins_dir)
        self.library = self.host.library()
        self.rounds = Rounds(data_dir or default_folder())
        self.env = Environment(loader=PackageLoader("clausegen.web", "templates"),
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)

    # ------------------------------------------------------------ building

    def build(self, state: forms.FormState, errors: dict[str, str]):
        """Plan and draft a form's state: (spec text, plan, draft) or Nones with a message."""
        from ..draft import build_draft
        spec, found = forms.spec_from_state(state, self.library)
        errors.update(found)
        if spec is None:
            return None, None, None, None
        try:
            text, plan = forms.canonical(spec, self.library)
            draft = build_draft(plan, self.library)
        except ClausegenError as exc:
            key = exc.key or ""
            clause_id, _, name = key.rpartition(".")
            field = forms.value_field(clause_id, name) if clause_id else ""
            errors[field if field in _fields(state) else ""] = exc.message + (
                f"; did you mean {exc.suggestion!r}?" if exc.suggestion else "")
            return None, None, None, exc
        return text, plan, draft, None

    def clause_views(self, state, plan, draft, errors, ui) -> list[tuple[str, list[ClauseView]]]:
        """Every clause of the library, by chapter, with its fields, preview and findings."""
        from ..planning import SectorValues
        from ..writers.html import article_html
        library, language = self.library.for_sector(state.sector), state.language
        sector = library.sectors[state.sector]
        t = translator(ui)
        sector_values = SectorValues(sector, library)
        articles = {a.key: a for c in (draft.chapters if draft else []) for a in c.articles}
        recommended = set(sector.recommended)
        ticked = set(state.clauses)
        chapters: dict[str, list[ClauseView]] = {}
        for clause in forms.clause_order(sector, library):
            planned = plan.clause(clause.id) if plan else None
            own = state.positions.get(clause.id, "")
            position = planned.position if planned else (own or state.position)
            ladder = planned.ladder if planned else sector_values.ladder(clause)
            views = []
            for name, param in clause.parameters.items():
                step = ladder[name]
                fid = forms.value_field(clause.id, name)
                raw = state.values.get(clause.id, {}).get(name, "")
                value = planned.values[name] if planned else None
                effective = value.value if value else step.positions[position]
                views.append(ParamView(
                    name=name, field=fid, id=dom_id("v", clause.id, name),
                    label=_text(param.label, ui) or name, help=_text(param.help, ui),
                    type=param.type, raw=raw, choices=tuple(param.choices),
                    limits=_limits(param, language, t),
                    better=t(f"better_{param.better}") if param.better else "",
                    ladder={p: params.format_value(param.type, step.positions[p], language)
                            or "–" for p in POSITIONS},
                    current=params.format_value(param.type, step.current, language),
                    effective=params.format_value(param.type, effective, language)
                    or t("no_value"),
                    source=t("given") if value and value.source == "spec" else
                    t("follows", position=t(position).split(" ")[0]),
                    error=errors.get(fid, "")))
            theme = library.themes.get(clause.theme)
            view = ClauseView(
                id=clause.id, dom=dom_id("c", clause.id), title=_text(clause.title, language),
                summary=_text(clause.summary, language), theme=clause.theme,
                ticked=clause.always or clause.id in ticked, always=clause.always,
                recommended=clause.id in recommended, position=own,
                effective_position=position, params=views,
                preview=article_html(articles[clause.id], language)
                if clause.id in articles else "",
                findings=[f for f in plan.findings if f.clause == clause.id] if plan else [],
                error=errors.get(forms.position_field(clause.id), ""))
            title = _text(theme.title, ui) if theme else clause.theme
            chapters.setdefault(title, []).append(view)
        return list(chapters.items())

    # ------------------------------------------------------------ pages

    def page(self, request: Request, state: forms.FormState | None, *, ui: str,
             errors: dict[str, str] | None = None, notices: list[str] | None = None,
             status: int = 200) -> HTMLResponse:
        """The main page; without a state only the sector choice."""
        errors = dict(errors or {})
        notices = list(notices or [])
        t = translator(ui)
        context: dict[str, Any] = {}
        if state is not None:
            text, plan, draft, _ = self.build(state, errors)
            if "sector" in errors:
                state = None
            else:
                context.update(
                    state=state, plan=plan, chapters=self.clause_views(state, plan, draft,
                                                                       errors, ui),
                    sector=self.library.sectors[state.sector],
                    general=[f for f in (plan.findings if plan else [])
                             if f.level in PROBLEM_LEVELS],
                    title_placeholder=plan.title if plan else "")
        general_errors = [m for k, m in errors.items() if k in ("", "clause", "sector")]
        field_errors = {k: m for k, m in errors.items() if k not in ("", "clause", "sector")}
        token = request.state.csrf
        html = self.env.get_template("index.html").render(
            t=t, ui=ui, other_ui="en" if ui == "nl" else "nl", csrf=token, errors=field_errors,
            general_errors=general_errors, notices=notices,
            plugin_errors=self.host.errors(), positions=POSITIONS,
            sectors=[self.library.sectors[k] for k in sorted(self.library.sectors)],
            text=_text, rounds=self.rounds.list(), state=state, **{
                k: v for k, v in context.items() if k != "state"})
        return HTMLResponse(html, status_code=status)

    def error_page(self, request: Request, message: str, status: int, ui: str = "nl"):
        t = translator(ui)
        html = self.env.get_template("error.html").render(t=t, ui=ui, message=message,
                                                          status=status)
        return HTMLResponse(html, status_code=status)


def _fields(state: forms.FormState) -> set[str]:
    return {forms.value_field(c, n) for c, values in state.values.items() for n in values}


def _limits(param, language: str, t) -> str:
    if param.type not in params.NUMERIC | {"date"}:
        return ""
    low = params.format_value(param.type, param.min, language) if param.min is not None else ""
    high = params.format_value(param.type, param.max, language) if param.max is not None else ""
    if low and high:
        return t("bounds", min=low, max=high)
    return t("min", min=low) if low else (t("max", max=high) if high else "")


def _ui(request: Request, form=None) -> str:
    for value in ((form.get("switch_ui") if form is not None else None),
                  (form.get("ui") if form is not None else None),
                  request.query_params.get("ui"), request.cookies.get("clausegen_ui")):
        if value in UI_LANGUAGES:
            return value
    return "nl"


def _attachment(data: bytes, filename: str, media: str) -> Response:
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


# ---------------------------------------------------------------- the application


class Routes:
    """The page's routes (each a coroutine of Starlette's), on one Web: the form, the
    preview, the downloads, the upload, the rounds and the redline."""

    def __init__(self, web: Web):
        self.web = web

    async def read_form(self, request: Request):
        form = await request.form(max_files=2, max_fields=10000, max_part_size=MAX_BODY)
        sent = form.get("csrf")
        cookie = request.cookies.get(CSRF_COOKIE)
        if not (isinstance(sent, str) and cookie
                and hmac.compare_digest(sent.encode(), cookie.encode())):
            raise HTTPException(403, "the form is out of date or did not come from this page "
                                     "(CSRF check failed); reload the page and try again")
        return form

    async def index(self, request: Request):
        ui = _ui(request)
        sector = request.query_params.get("sector")
        if not sector:
            return self.web.page(request, None, ui=ui)
        if sector not in self.web.library.sectors:
            state = forms.FormState(sector=sector)
            return self.web.page(request, state, ui=ui, status=404)
        return self.web.page(request, forms.fresh_state(sector, self.web.library), ui=ui)

    async def update(self, request: Request):
        form = await self.read_form(request)
        ui = _ui(request, form)
        return self.web.page(request, forms.state_from_form(form, self.web.library), ui=ui)

    async def preview(self, request: Request):
        """One article's text, findings and field messages for the page's script (JSON)."""
        form = await self.read_form(request)
        started = time.perf_counter()
        ui = _ui(request, form)
        clause_id = form.get("preview", "")
        state = forms.state_from_form(form, self.web.library)
        errors: dict[str, str] = {}
        text, plan, draft, failure = self.web.build(state, errors)
        if plan is None:
            return JSONResponse({"ok": False, "errors": errors,
                                 "message": "; ".join(m for k, m in errors.items()
                                                      if not k.startswith("value:"))})
        chapters = self.web.clause_views(state, plan, draft, errors, ui)
        view = next((v for _, views in chapters for v in views if v.id == clause_id), None)
        if view is None:
            return JSONResponse({"ok": False, "errors": errors,
                                 "message": f"unknown clause {clause_id!r}"}, status_code=404)
        macros = self.web.env.get_template("macros.html").make_module({"t": translator(ui)})
        return JSONResponse({
            "ok": True, "clause": view.id, "preview": view.preview,
            "findings": str(macros.findings(view.findings)),
            "fields": {p.id: {"effective": p.effective, "source": p.source, "error": p.error}
                       for p in view.params},
            "ms": round((time.perf_counter() - started) * 1000, 1)})

    async def built_from_form(self, request: Request):
        """(form, ui, state, spec text, plan, draft) of the posted form, or the form page again
        with the messages beside its fields when it cannot be built."""
        form = await self.read_form(request)
        ui = _ui(request, form)
        state = forms.state_from_form(form, self.web.library)
        errors: dict[str, str] = {}
        text, plan, draft, _ = self.web.build(state, errors)
        if errors or plan is None:
            return self.web.page(request, state, ui=ui, errors=errors,
                            notices=[translator(ui)("fix_first")], status=400)
        return form, ui, state, text, plan, draft

    async def download(self, request: Request):
        kind = request.path_params["kind"]
        if kind not in ("docx", "mandate", "spec"):
            raise HTTPException(404, f"nothing to download as {kind!r}")
        built = await self.built_from_form(request)
        if not isinstance(built, tuple):
            return built
        form, ui, state, text, plan, draft = built
        sector = safe_name(plan.sector.id)
        intern = "-intern" if plan.spec.audience == "intern" else ""
        try:
            if kind == "spec":
                return _attachment(text.encode("utf-8"), f"concept-cao-{sector}{intern}.toml",
                                   MEDIA["toml"])
            if kind == "docx":
                from ..writers import render_bytes
                data = render_bytes(draft, "docx", self.web.library, toelichting="comments",
                                    author="clausegen")
                return _attachment(data, f"concept-cao-{sector}{intern}.docx", MEDIA["docx"])
            from ..mandate import mandate_rows
            from ..writers.mandate import render_mandate
            data = render_mandate(plan, mandate_rows(plan, self.web.library.floors()), "xlsx")
            return _attachment(data, f"mandaat-{sector}.xlsx", MEDIA["xlsx"])
        except ClausegenError as exc:
            return self.web.page(request, state, ui=ui, errors={"": str(exc)}, status=400)

    async def upload(self, request: Request):
        form = await self.read_form(request)
        ui = _ui(request, form)
        t = translator(ui)
        current = forms.state_from_form(form, self.web.library) if form.get("sector") else None
        upload = form.get("spec")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return self.web.page(request, current, ui=ui, status=400,
                            errors={"": "choose a spec file (.toml) to load"})
        name = Path(upload.filename.replace("\\", "/")).name[:100] or "spec.toml"
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            return self.web.page(request, current, ui=ui, status=413, errors={
                "": f"{name}: the file is larger than {MAX_UPLOAD // 1024} KB; a spec file is "
                    "a few KB"})
        try:
            from ..planning import plan_draft
            from ..spec import parse_spec
            from ..tomlfile import decode
            spec = parse_spec(decode(data, name, SpecError), name)
            state = forms.state_from_plan(plan_draft(spec, self.web.library))
        except ClausegenError as exc:
            return self.web.page(request, current, ui=ui, status=400, errors={"": str(exc)})
        return self.web.page(request, state, ui=ui, notices=[t("uploaded", name=name)])

    async def save_round(self, request: Request):
        built = await self.built_from_form(request)
        if not isinstance(built, tuple):
            return built
        form, ui, state, text, plan, draft = built
        try:
            saved = self.web.rounds.save(str(form.get("round_name", "")), text)
        except ClausegenError as exc:
            return self.web.page(request, state, ui=ui, errors={"round_name": exc.message},
                            status=400)
        return self.web.page(request, state, ui=ui,
                        notices=[translator(ui)("saved", name=saved.name)])

    async def load_round(self, request: Request):
        ui = _ui(request)
        name = request.path_params["name"]
        try:
            from ..planning import plan_draft
            from ..spec import parse_spec
            spec = parse_spec(self.web.rounds.read(name), f"{safe_name(name)}.toml")
            state = forms.state_from_plan(plan_draft(spec, self.web.library))
        except ClausegenError as exc:
            return self.web.error_page(request, str(exc), 404, ui)
        return self.web.page(request, state, ui=ui,
                        notices=[translator(ui)("loaded", name=safe_name(name))])

    async def round_spec(self, request: Request):
        name = request.path_params["name"]
        try:
            text = self.web.rounds.read(name)
        except ClausegenError as exc:
            return self.web.error_page(request, str(exc), 404, _ui(request))
        return _attachment(text.encode("utf-8"), f"{safe_name(name)}.toml", MEDIA["toml"])

    async def redline(self, request: Request):
        """The redline between two saved rounds, as `clausegen compare` writes it."""
        from ..compare import align, changes
        from ..draft import build_draft
        from ..planning import plan_draft
        from ..spec import parse_spec
        from ..writers.redline import write_redline
        form = await self.read_form(request)
        ui = _ui(request, form)
        current = forms.state_from_form(form, self.web.library) if form.get("sector") else None
        names = [str(form.get("old_round", "")), str(form.get("new_round", ""))]
        audience = form.get("redline_audience") or None
        try:
            drafts = []
            for name in names:
                spec = parse_spec(self.web.rounds.read(name), f"{safe_name(name)}.toml")
                if audience in ("tafel", "intern"):
                    spec.audience = audience
                drafts.append(build_draft(plan_draft(spec, self.web.library), self.web.library))
            old, new = drafts
            if old.audience != new.audience:
                new.audience = old.audience = new.audience
            blocks = align(old, new)
            data = write_redline(old, new, blocks, changes(blocks, old, new), self.web.library)
        except ClausegenError as exc:
            return self.web.page(request, current, ui=ui, errors={"": str(exc)}, status=400)
        intern = "-intern" if new.audience == "intern" else ""
        return _attachment(data, f"redline-{safe_name(names[0])}-{safe_name(names[1])}"
                                 f"{intern}.docx", MEDIA["docx"])

    async def http_error(self, request: Request, exc: HTTPException):
        return self.web.error_page(request, exc.detail if isinstance(exc.detail, str)
                              else "error", exc.status_code, _ui(request))

    async def server_error(self, request: Request, exc: Exception):
        # A bug: the message, never the traceback.
        return self.web.error_page(request, f"internal error: {type(exc).__name__}: {exc}", 500,
                              _ui(request))



def create_app(plugins_dir=None, data_dir=None, *, token: str | None = None,
               allowed_hosts: list[str] | None = None):
    """The ASGI application. `allowed_hosts` None accepts any Host header (tests); `token`
    demands the access token (query ?token= once, then a cookie) on every request."""
    web = Web(plugins_dir, data_dir)
    routes = Routes(web)
    static = Path(__file__).parent / "static"
    table = [
        Route("/", routes.index, methods=["GET"]),
        Route("/", routes.update, methods=["POST"]),
        Route("/preview", routes.preview, methods=["POST"]),
        Route("/download/{kind}", routes.download, methods=["POST"]),
        Route("/upload", routes.upload, methods=["POST"]),
        Route("/rounds", routes.save_round, methods=["POST"]),
        Route("/rounds/{name}", routes.load_round, methods=["GET"]),
        Route("/rounds/{name}/spec", routes.round_spec, methods=["GET"]),
        Route("/redline", routes.redline, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(routes=table, exception_handlers={HTTPException: routes.http_error,
                                                       Exception: routes.server_error})
    return Guard(app, web, token=token, allowed_hosts=allowed_hosts)


class Guard:
    """The outer ASGI layer: Host names, the access token, the body limit, the CSRF cookie and
    the security headers, before any route runs."""

    def __init__(self, app, web: Web, *, token=None, allowed_hosts=None):
        self.app, self.web, self.token = app, web, token
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        ui = _ui(request)
        refused = self._refusal(request, ui)
        if refused is not None:
            return await self._respond(scope, receive, send, refused)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            return await self._respond(scope, receive, send, self._too_large(request, ui))
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                return await self._respond(scope, receive, send, self._too_large(request, ui))
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf
        new_cookie = CSRF_COOKIE not in request.cookies

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"content-security-policy",
                             b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                             b"script-src 'self'; form-action 'self'; frame-ancestors 'none'")]
                if new_cookie:
                    headers.append((b"set-cookie", f"{CSRF_COOKIE}={csrf}; Path=/; HttpOnly; "
                                                   "SameSite=Strict".encode()))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, replay, send_with_headers)

    def _refusal(self, request: Request, ui: str) -> Response | None:
        """The answer to a request this page does not serve (a Host name not allowed, the
        access token missing or wrong), or to the token given once in the query (its cookie
        set, the address without it); None for a request that goes on."""
        host = (request.headers.get("host") or "").rsplit(":", 1)[0] \
            if not (request.headers.get("host") or "").startswith("[") \
            else (request.headers.get("host") or "").split("]")[0] + "]"
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return self.web.error_page(
                request, f"this page answers only to {', '.join(self.allowed_hosts)}", 400, ui)
        if self.token:
            given = request.query_params.get("token")
            if given and hmac.compare_digest(given.encode(), self.token.encode()):
                response = RedirectResponse(request.url.remove_query_params("token"), 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(cookie.encode(), self.token.encode()):
                return self.web.error_page(
                    request, "this page needs its access token: open the address that "
                             "`clausegen serve` printed", 401, ui)
        return None

    def _too_large(self, request, ui):
        return self.web.error_page(request, f"the request is larger than {MAX_BODY // 1024} "
                                            "KB; a spec file is a few KB", 413, ui)

    @staticmethod
    async def _respond(scope, receive, send, response):
        await response(scope, receive, send)


# ---------------------------------------------------------------- running


def serve(*, host: str = "127.0.0.1", port: int = 0, plugins_dir=None, data_dir=None,
          token: str | None = None, open_browser: bool = False, echo=print) -> None:
    """Run the page with uvicorn until Ctrl+C. Port 0 takes a free port."""
    import socket

    import uvicorn
    loopback = is_loopback(host)
    if not loopback and not token:
        from ..errors import UsageError
        raise UsageError(f"--host {host} is reachable from other machines: give --token "
                         "SECRET (at least 16 characters) so only people with the address "
                         "can use the page")
    if token is not None and len(token) < 16:
        from ..errors import UsageError
        raise UsageError("--token: use at least 16 characters")
    app = create_app(plugins_dir, data_dir, token=token,
                     allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        raise ClausegenError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(64)
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if family == socket.AF_INET6 else host
    url = f"http://{shown}:{bound}/" + (f"?token={quote(token)}" if token else "")
    echo(f"clausegen serve: open {url} in your browser (Ctrl+C stops)")
    echo(f"Rounds are kept in {web_folder(data_dir)}")
    if not loopback:
        echo("warning: the page is reachable from the network over plain HTTP; anyone with "
             "the address (and its token) can use it")
    if open_browser:
        import webbrowser
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def web_folder(data_dir) -> Path:
    return Rounds(data_dir or default_folder()).folder
