"""The studio's web application: a teacher tries the models side by side, labels preference pairs blind and reads
a run's report, in a browser on their own machine (``launch/studio.py``).

    GET  /                         the page (static/index.html: three views, zh/en labels)
    GET  /api/config               what was loaded: models, reward model, pairs, reports, the rubric's criteria
    POST /api/try                  a situation's fields and sampling settings (checked like the HTTP API's, 422 naming
                                   the field) + "models" -> each model's teaching prompt, rubric verdicts, RM score
    GET  /api/label/pair           ?annotator=NAME[&index=I | &after=I]: a pair shown blind (A and B; pair I, or the
                                   first undecided one after I), the annotator's progress and earlier decision on it
    POST /api/label                {"annotator", "pair_id", "choice", "tags", "note", "decision_id"}: journalled at once
    GET  /api/label/agreement      Cohen's kappa and raw agreement between annotators, the pairs they disagree on
                                   (each vote in its annotator's own A/B letters)
    POST /api/label/export         the labelled pairs JSONL and sheet, into the directory the command line named
    GET  /api/reports[/{i}]        the reports found under --runs; one rendered, with its samples side by side
    GET  /api/reports/{i}/files/P  an image of report i (only files inside its directory)

Access (``Guard``): bound to loopback, only requests naming a loopback host are served (a web page elsewhere cannot
reach the studio through a rebound DNS name); bound to any other address, ``--auth_token`` is required and checked
on every request (``Authorization: Bearer``, or the per-port cookie, a keyed hash of the token, that opening
``/?token=...`` sets). Every POST must carry
the header ``X-Studio: 1``, which a cross-site form cannot send. Responses forbid inline scripts (a
Content-Security-Policy), and the page writes every model text with ``textContent``: a ``<script>`` in an output
shows as text. File paths come only from the command line; the browser names reports by number.
"""
import asyncio
import hmac
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional
from urllib.parse import quote

import torch

from common.config import Arguments, _help
from common.modeling import ScalarHeadModel, inference_device, load_tokenizer, resolve_dtype

from ..annotation import (CHOICES, REASON_TAGS, AnnotationError, Journal, agreement, export, load_pairs,
                          pairs_from_samples)
from ..inference import RequestError, TeachingPromptGenerator, parse_request
from ..labels import SheetError
from ..rubric import CRITERIA, score_response
from ..serving import BodyError, error, is_loopback, read_json, run_app
from ..situations import LANGS, LEVEL_NAMES, OPTIONAL_FIELDS, REQUIRED_FIELDS
from .report_page import find_reports, image_path, render_markdown, samples_side_by_side

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"studio.js": "text/javascript", "studio.css": "text/css"}
TOKEN_ENV = "EASYDS_STUDIO_TOKEN"
COOKIE = "easyds_studio"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@dataclass
class StudioArguments(Arguments):
    models: List[str] = field(default_factory=list, metadata=_help(
        "Models to try side by side, each NAME=PATH (a stage's final/, an export of launch/export.py or "
        "embedded:NAME)."))
    reward_model: Optional[str] = field(default=None, metadata=_help(
        "A reward model's final/ (launch/rm.py): each teaching prompt's score is shown beside the rubric's."))
    pairs: Optional[str] = field(default=None, metadata=_help(
        "Preference pairs to label blind (pairs.jsonl of launch/collect_pairs.py)."))
    compare_samples: List[str] = field(default_factory=list, metadata=_help(
        "Instead of --pairs: two models' answers to the same prompts, NAME=samples.jsonl NAME=samples.jsonl "
        "(launch/evaluate.py), labelled blind as pairs (keep: the first is better; swap: the second)."))
    journal: Optional[str] = field(default=None, metadata=_help(
        "The labelling journal, every decision appended at once (default: next to --pairs, NAME.journal.jsonl; "
        "with --compare_samples, next to the first file, A-vs-B.journal.jsonl)."))
    export_dir: Optional[str] = field(default=None, metadata=_help(
        "Where the export writes sheet.csv and pairs.labelled.jsonl (default: beside the journal, NAME.labelled/)."))
    runs: List[str] = field(default_factory=list, metadata=_help(
        "Pipeline output directories whose report.md to show (launch/pipeline.py --output_dir)."))
    dtype: str = field(default="auto", metadata=_help("Weights' dtype for the models (auto: float32 on the CPU)."))
    host: str = field(default="127.0.0.1", metadata=_help(
        "Address to listen on; any other than loopback requires --auth_token."))
    port: int = field(default=8000, metadata=_help("Port to listen on (0: any free port; the address is printed)."))
    auth_token: Optional[str] = field(default=None, metadata=_help(
        "Every request must carry it (open http://HOST:PORT/?token=TOKEN once; also from the environment variable "
        "EASYDS_STUDIO_TOKEN, which keeps it out of the process list)."))
    max_body_bytes: int = field(default=16384, metadata=_help("Larger request bodies get 413."))
    max_field_chars: int = field(default=2000, metadata=_help("Longer situation fields get 422."))
    log_level: str = field(default="warning", metadata=_help("uvicorn's log level: warning, info, debug."))

    def model_paths(self) -> dict:
        return dict(spec.split("=", 1) for spec in self.models)

    def problems(self, groups) -> list:
        out = []
        names = [spec.split("=", 1)[0] for spec in self.models]
        for spec in self.models:
            name, _, path = spec.partition("=")
            if not name or not path:
                out.append(f"--models {spec!r}: expected NAME=PATH")
            elif not path.startswith("embedded:") and not os.path.isdir(path):
                out.append(f"--models {spec}: no such directory {path}")
        if len(set(names)) < len(names):
            out.append(f"--models: names repeat ({', '.join(names)})")
        for name, path in (("reward_model", self.reward_model), ("pairs", self.pairs)):
            if path and not os.path.exists(path):
                out.append(f"--{name} {path}: no such file or directory")
        if self.compare_samples:
            if self.pairs or len(self.compare_samples) != 2 or any("=" not in s for s in self.compare_samples):
                out.append("--compare_samples takes two NAME=samples.jsonl, and not together with --pairs")
            out += [f"--compare_samples {s}: no such file" for s in self.compare_samples
                    if "=" in s and not os.path.isfile(s.split("=", 1)[1])]
        out += [f"--runs {d}: no such directory" for d in self.runs if not os.path.isdir(d)]
        if (self.journal or self.export_dir) and not (self.pairs or self.compare_samples):
            out.append("--journal and --export_dir need --pairs or --compare_samples")
        if not (self.models or self.pairs or self.compare_samples or self.runs):
            out.append("nothing to show: give --models, --pairs, --compare_samples or --runs")
        if not 0 <= self.port <= 65535:
            out.append(f"--port must be in 0..65535, got {self.port}")
        if min(self.max_body_bytes, self.max_field_chars) < 1:
            out.append("--max_body_bytes and --max_field_chars must be >= 1")
        if not is_loopback(self.host) and not (self.auth_token or os.environ.get(TOKEN_ENV)):
            out.append(f"--host {self.host} is reachable from other machines: give --auth_token (or the environment "
                       f"variable {TOKEN_ENV}), which every request must then carry")
        return out


class RewardScorer:
    """A reward model scoring a generator's prompt + response token ids (as evaluation does: the same tokenizer)."""

    def __init__(self, path: str, dtype: str = "auto"):
        self.device = inference_device()
        self.model = ScalarHeadModel.from_pretrained(path, dtype=resolve_dtype(dtype)).to(self.device).eval()
        if not any(os.path.isfile(os.path.join(path, f)) for f in ("tokenizer.json", "tokenizer_config.json")):
            raise SystemExit(f"[studio] --reward_model {path}: no tokenizer saved with it (launch/rm.py saves one); "
                             "the studio checks that it reads the models' tokens")
        self.vocab = load_tokenizer(path).get_vocab()
        self._lock = threading.Lock()

    def reads(self, generator) -> bool:
        """Whether the reward model reads ``generator``'s token ids (the same vocabulary); else no score is shown."""
        return generator.tokenizer.get_vocab() == self.vocab

    @torch.no_grad()
    def __call__(self, prompt_ids: list, response_ids: list) -> float:
        ids = torch.tensor([prompt_ids + response_ids], device=self.device)
        with self._lock:
            return float(self.model.score(ids, torch.ones_like(ids))[0])


def host_name(header: str) -> str:
    """The host of a Host header without its port: ``localhost:8000`` -> ``localhost``, ``[::1]:80`` -> ``[::1]``."""
    return header.split("]")[0] + "]" if header.startswith("[") else header.rsplit(":", 1)[0]


class Guard:
    """ASGI middleware run before every route (see the module docstring): host, token, the POST header, and the
    security headers on every response."""

    def __init__(self, app, token: str = None, loopback_only: bool = True):
        self.app, self.token, self.loopback_only = app, token, loopback_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request
        from starlette.responses import RedirectResponse

        request = Request(scope)
        reply = None
        host = host_name(request.headers.get("host", ""))
        cookie = f"{COOKIE}_{(scope.get('server') or ('', 0))[1]}"  # one per port: studios side by side
        if self.loopback_only and not is_loopback(host):
            reply = error(421, f"host {host!r} is not a loopback address; open the address launch/studio.py printed")
        elif self.token and request.method == "GET" and self._given(request.query_params.get("token")):
            reply = RedirectResponse("/" + scope["path"].lstrip("/"), status_code=303)  # out of the address bar
            reply.set_cookie(cookie, self._cookie_value(), httponly=True, samesite="strict")
        elif self.token and not (hmac.compare_digest(request.cookies.get(cookie, "").encode(), self._cookie_value(
                ).encode()) or self._given(request.headers.get("authorization", "").removeprefix("Bearer "))):
            reply = error(401, "open the address printed by launch/studio.py, with its ?token=...",
                          headers={"WWW-Authenticate": "Bearer"})
        elif request.method == "POST" and request.headers.get("x-studio") != "1":
            reply = error(403, "a POST must carry the header X-Studio: 1 (the studio's page sends it)")

        async def secured(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)

        await (reply or self.app)(scope, receive, secured)

    def _given(self, value) -> bool:
        return bool(value) and hmac.compare_digest(value.encode("utf-8", "replace"), self.token.encode())

    def _cookie_value(self) -> str:
        """What the cookie holds: a keyed hash of the token, never the token (a cookie reaches every port)."""
        return hmac.new(self.token.encode(), b"easyds-studio-cookie", "sha256").hexdigest()


def create_app(generators: dict = None, reward: RewardScorer = None, journal: Journal = None, export_dir: str = None,
               reports: list = (), auth_token: str = None, loopback_only: bool = True, max_body_bytes: int = 16384):
    """The studio around ``generators`` (``{name: TeachingPromptGenerator}``, shown in that order), an optional
    ``reward`` scorer, a labelling ``journal`` exporting into ``export_dir``, and ``reports``
    (``[(name, directory)]``, see ``report_page.find_reports``). Each view is served only when given its input."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.responses import FileResponse, JSONResponse
    from starlette.routing import Route

    generators = dict(generators or {})
    reports = list(reports)

    async def page(request):
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def static(request):
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return error(404, f"no file {name}")
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

    async def config(request):
        first = next(iter(generators.values()), None)
        return JSONResponse({
            "models": list(generators), "reward_model": reward is not None,
            "pairs": len(journal.pairs) if journal else 0, "reports": [name for name, _ in reports],
            "criteria": list(CRITERIA), "reason_tags": list(REASON_TAGS), "choices": list(CHOICES),
            "fields": {"required": list(REQUIRED_FIELDS), "optional": list(OPTIONAL_FIELDS)},
            "levels": list(LEVEL_NAMES), "langs": list(LANGS),
            "defaults": first.default.__dict__ if first else None,
            "max_new_tokens_limit": first.limits.max_new_tokens if first else None})

    async def try_models(request):
        try:
            body = await read_json(request, max_body_bytes)
        except BodyError as e:
            return error(e.status, e.message)
        if not isinstance(body, dict):
            return error(422, "expected a JSON object", field="body")
        names, seed = body.pop("models", list(generators)), body.pop("seed", None)
        if not isinstance(names, list) or not names or any(not isinstance(n, str) or n not in generators
                                                           for n in names):
            return error(422, f"choose one or more of {', '.join(generators)}", field="models")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2 ** 31):
            return error(422, "expected an integer in 0..2^31-1", field="seed")
        try:
            first = generators[names[0]]
            situation, _ = parse_request(body, first.default, first.limits)  # the fields the rubric reads
            parsed = {name: generators[name].parse(body) for name in names}
        except RequestError as e:
            return error(422, e.message, field=e.field)
        results = []
        for name in names:  # one after the other: the models share the machine's cores
            prompt_ids, sampling = parsed[name]
            started = time.monotonic()
            [answer] = await asyncio.to_thread(generators[name].generate_ids, [prompt_ids],
                                               [sampling.max_new_tokens], sampling, seed)
            seconds = time.monotonic() - started
            score = (await asyncio.to_thread(reward, prompt_ids, answer.token_ids)
                     if reward and reward.reads(generators[name]) else None)
            results.append({"model": name, "text": answer.text, "finish_reason": answer.finish_reason,
                            "tokens": answer.tokens, "generate_ms": round(1000 * seconds, 1),
                            "rubric": score_response(answer.text, situation), "reward": score})
        return JSONResponse({"situation": situation, "results": results})

    def need_journal():
        if journal is None:
            raise HTTPException(404, "no pairs to label: start the studio with --pairs FILE")

    async def label_pair(request):
        need_journal()
        annotator = request.query_params.get("annotator", "")
        try:
            index, after = request.query_params.get("index"), request.query_params.get("after")
            for name, value in (("index", index), ("after", after)):
                if value is not None and not (re.fullmatch(r"[0-9]{1,9}", value) and int(value) < len(journal.pairs)):
                    return error(422, f"expected 0..{len(journal.pairs) - 1}", field=name)
            progress = journal.progress(annotator, None if after is None else int(after))
            pair_id = journal.pairs[int(index)]["id"] if index is not None else progress["next"]
            if pair_id is None:
                return JSONResponse({"pair": None, "progress": progress})
            earlier = journal.latest(annotator, pair_id)
            return JSONResponse({"pair": journal.view(pair_id, annotator), "progress": progress,
                                 "decision": {k: earlier[k] for k in ("choice", "tags", "note")} if earlier else None})
        except AnnotationError as e:
            return error(422, e.message, field=e.field)

    async def label(request):
        need_journal()
        try:
            body = await read_json(request, max_body_bytes)
        except BodyError as e:
            return error(e.status, e.message)
        if not isinstance(body, dict):
            return error(422, "expected a JSON object", field="body")
        unknown = sorted(set(body) - {"annotator", "pair_id", "choice", "tags", "note", "decision_id"})
        if unknown:
            return error(422, "unknown field", field=unknown[0])
        try:
            entry = await asyncio.to_thread(journal.record, body.get("annotator"), body.get("pair_id"),
                                            body.get("choice"), body.get("tags", []), body.get("note", ""),
                                            body.get("decision_id"))
            progress = journal.progress(entry["annotator"])
        except AnnotationError as e:
            return error(422, e.message, field=e.field)
        return JSONResponse({"recorded": {k: entry[k] for k in ("pair_id", "choice", "tags", "note")},
                             "progress": progress})

    async def label_agreement(request):
        need_journal()
        try:
            decisions = journal.decisions()
        except AnnotationError as e:
            return error(500, e.message, field=e.field)
        found = agreement(decisions)
        # Each vote as its annotator saw it (their own A/B order), so the list unblinds no pair.
        for d in found["disagreements"]:
            d["votes"] = {who: decisions[(who, d["pair_id"])]["choice"] for who in d["votes"]}
        return JSONResponse({**found, "progress": {a: journal.progress(a) for a in journal.annotators()}})

    async def label_export(request):
        need_journal()
        try:
            result = await asyncio.to_thread(export, journal.pairs, journal.decisions(), export_dir)
        except AnnotationError as e:
            return error(409 if e.field == "export" else 500, e.message, field=e.field)
        except SheetError as e:
            return error(500, f"the exported sheet did not read back: {e}")
        return JSONResponse(result)

    def report_of(request):
        i = request.path_params["i"]
        if not 0 <= i < len(reports):
            raise HTTPException(404, f"no report {i}")
        return i, reports[i]

    async def report_list(request):
        return JSONResponse([{"id": i, "name": name} for i, (name, _) in enumerate(reports)])

    def render_report(i: int, directory: str) -> tuple:
        with open(os.path.join(directory, "report.md"), encoding="utf-8") as f:
            text = f.read()
        html = render_markdown(text, lambda rel: f"/api/reports/{i}/files/{quote(rel)}"
                               if image_path(directory, rel) else None)
        return html, samples_side_by_side(directory)

    async def report(request):
        i, (name, directory) = report_of(request)
        try:  # off the event loop: a long report does not hold up labelling
            html, samples = await asyncio.to_thread(render_report, i, directory)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            return error(422, f"the report of {name} cannot be shown: {e!r}")
        return JSONResponse({"id": i, "name": name, "html": html, "samples": samples})

    async def report_file(request):
        _, (_, directory) = report_of(request)
        path = image_path(directory, request.path_params["path"])
        if path is None:
            return error(404, "no such image in this report's directory")
        return FileResponse(path)

    async def http_error(request, exc):
        return error(exc.status_code, exc.detail, headers=exc.headers)

    app = Starlette(routes=[
        Route("/", page), Route("/static/{name}", static),
        Route("/api/config", config),
        Route("/api/try", try_models, methods=["POST"]),
        Route("/api/label/pair", label_pair), Route("/api/label", label, methods=["POST"]),
        Route("/api/label/agreement", label_agreement), Route("/api/label/export", label_export, methods=["POST"]),
        Route("/api/reports", report_list), Route("/api/reports/{i:int}", report),
        Route("/api/reports/{i:int}/files/{path:path}", report_file),
    ], exception_handlers={HTTPException: http_error})
    return Guard(app, auth_token, loopback_only)


def labelling(a: StudioArguments) -> tuple:
    """``(pairs, journal path, export directory)`` of ``a``'s --pairs or --compare_samples (``(None,) * 3`` with
    neither). Unset paths sit beside the pairs: ``NAME.journal.jsonl`` and ``NAME.labelled/`` for ``NAME.jsonl``,
    ``A-vs-B.journal.jsonl`` and ``A-vs-B.labelled/`` beside the first samples file."""
    if a.pairs:
        pairs, stem = load_pairs(a.pairs), os.path.splitext(a.pairs)[0]
    elif a.compare_samples:
        (name_a, path_a), (name_b, path_b) = (spec.split("=", 1) for spec in a.compare_samples)
        pairs = pairs_from_samples((name_a, path_a), (name_b, path_b))
        stem = os.path.join(os.path.dirname(path_a), f"{name_a}-vs-{name_b}")
    else:
        return None, None, None
    journal = a.journal or f"{stem}.journal.jsonl"
    return pairs, journal, a.export_dir or f"{os.path.splitext(journal)[0].removesuffix('.journal')}.labelled"


def studio(a: StudioArguments):
    """``launch/studio.py``: load what the command line names, then serve the page until SIGINT/SIGTERM."""
    token = a.auth_token or os.environ.get(TOKEN_ENV) or None
    pairs, journal_path, export_dir = labelling(a)  # first: a bad pairs file fails before the models load
    journal = Journal(journal_path, pairs) if pairs is not None else None
    reports = find_reports(a.runs)
    generators = {}
    for name, path in a.model_paths().items():
        print(f"[studio] loading {name} = {path}", flush=True)
        generators[name] = TeachingPromptGenerator.from_pretrained(path, dtype=a.dtype,
                                                                   max_field_chars=a.max_field_chars)
        generators[name].warm_up()
    reward = RewardScorer(a.reward_model, a.dtype) if a.reward_model else None
    for name in generators:
        if reward and not reward.reads(generators[name]):
            print(f"[studio] {name}'s tokenizer differs from the reward model's: its answers get no reward score")
    app = create_app(generators, reward, journal, export_dir, reports, token, is_loopback(a.host), a.max_body_bytes)

    def banner(url):
        shown = url.replace("0.0.0.0", "127.0.0.1")
        return (f"[studio] open {shown}/" + ("?token=<your --auth_token>" if token else "")
                + f"  ({len(generators)} model(s), {len(journal.pairs) if journal else 0} pairs"
                + (f" journalled in {journal.path}" if journal else "") + f", {len(reports)} report(s))")

    run_app(app, a.host, a.port, a.log_level, 10, banner)
    print("[studio] stopped", flush=True)
