"""``tagkit api``: send contacts, products and purchases to Connectif's REST API, one by one
or (``--import``, and coupon codes always) through its import API (docs/api-sync.md).

Every record is validated before anything is sent. Exit 0 when every record arrived; 1 when
some were invalid or refused by Connectif (or an import had failed rows or ended in error);
2 for usage, configuration, authentication, connection or file problems. The API key comes
from ``$CONNECTIF_API_KEY`` and is never printed. httpx is imported only when something is
sent.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._errors import EXIT_INVALID, FileProblem, TagkitCommand, UsageProblem
from ._options import FILE

if TYPE_CHECKING:
    from contextlib import ExitStack

    from .._model import Record
    from ..api._bulk import ImportReport
    from ..api._client import ConnectifAPI
    from ..api._import_result import ImportResult
    from ..api._imports import ImportOptions
    from ..api._journal import Journal
    from ..api._records import Item
    from ..api._sync import SyncReport

F = TypeVar("F", bound=Callable[..., Any])

# The commands, named after the kinds of records (tagkit.api._payloads names them too).
CONTACTS = "contacts"
PRODUCTS = "products"  # not a Connectif name: the command for product records
PURCHASES = "purchases"
COUPONS = "coupons"
STDIN = "-"


@click.group("api", context_settings={"help_option_names": ["-h", "--help"]})
def api() -> None:
    """Send contacts, products and purchases to Connectif's REST API.

    FILE is a JSON array, JSON Lines (.jsonl/.ndjson), CSV (header = tagkit's keys, list
    values joined by |), or - for standard input. Keys are those of tags data (product_id,
    unit_price, category ...); a purchase also holds its contact.

    The API key comes from $CONNECTIF_API_KEY (keyId:keySecret); $CONNECTIF_API_URL replaces
    https://api.connectif.cloud.

    \b
    Examples:
      tagkit api contacts contacts.jsonl --rate 100 --journal contacts.journal
      tagkit api products catalogue.csv --import --journal catalogue.journal
      tagkit api coupons --set 6072374b4d3ceb76e44d4323 codes.csv
      tagkit api purchases orders.json --dry-run
    """


def _common(func: F) -> F:
    options = [
        click.argument("file", metavar="FILE", type=FILE),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["json", "jsonl", "csv"]),
            help="The file's format (default: from its name; for - from its first character).",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            help="Validate and print the requests as JSON lines (with --import: the form "
            "fields, then the CSV file); send nothing.",
        ),
        click.option(
            "--import",
            "use_import",
            is_flag=True,
            help="Send every record in one file through Connectif's import API (POST "
            "/imports/) and wait for it to finish; not for purchases.",
        ),
        click.option(
            "--poll-interval",
            type=click.FloatRange(min=0, min_open=True),
            default=1.5,
            show_default=True,
            metavar="SECONDS",
            help="With --import: the first wait between two readings of the import's "
            "status (the waits grow to 15 s).",
        ),
        click.option(
            "--rate",
            type=click.FloatRange(min=0, min_open=True),
            metavar="N",
            help="At most N requests a minute (Connectif's limit is per minute and not "
            "published; default: no client-side limit, waiting only when Connectif says so).",
        ),
        click.option(
            "--journal",
            "journal_path",
            type=FILE,
            metavar="FILE",
            help="Record what Connectif confirmed; a run started again with the same journal "
            "skips it, never sends a purchase twice, and waits on an import already started.",
        ),
        click.option(
            "--skip-invalid",
            is_flag=True,
            help="Send the valid records even when some are invalid (exit 1 still).",
        ),
        click.option(
            "--max-retries",
            type=click.IntRange(min=0),
            default=5,
            show_default=True,
            help="Retries of one request after 429, 5xx, a timeout or a dropped connection.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=30.0,
            show_default=True,
            help="Seconds to wait for each answer.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _read(file: str, fmt: str | None, kind: str) -> list[Item]:
    from ..api._records import RecordsError, format_of, read_items

    where = "standard input" if file == STDIN else repr(file)
    try:
        with click.open_file(file, "r", encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise FileProblem(f"cannot read {where}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FileProblem(f"{where} is not UTF-8 text") from None
    try:
        return read_items(text, format_of(file, text) if fmt is None else fmt, kind)  # type: ignore[arg-type]
    except RecordsError as exc:
        raise FileProblem(f"{where}: {exc}") from None


def _show_problems(problems: list[tuple[Item, Any]]) -> None:
    for item, problem in problems:
        click.echo(f"error: {item.position}: {problem}", err=True)


def _dry_run(kind: str, records: list[tuple[Item, Record]]) -> None:
    """Print each request a run would send: one JSON object per line."""
    from ..api import _routes as routes
    from ..api._payloads import ApiPurchase, api_json, contact_email, to_api
    from ..api._records import record_key

    def show(method: str, path: str, body: object, **query: str) -> None:
        request: dict[str, object] = {"method": method, "path": path}
        if query:
            request["query"] = query
        request["body"] = body
        click.echo(api_json(request))

    for _item, record in records:
        if isinstance(record, ApiPurchase):
            show("PATCH", routes.contact(contact_email(record.contact)), to_api(record.contact))
            seen: set[str] = set()
            for line in record.products:
                product = line.product
                if product.product_id not in seen:
                    seen.add(product.product_id)
                    show("PATCH", routes.product(product.product_id), to_api(product))
            show(
                "POST", routes.PURCHASES, to_api(record), **{routes.TRIGGER_PURCHASE_EVENT: "true"}
            )
        elif kind == CONTACTS:
            show("PATCH", routes.contact(record_key(kind, record)), to_api(record))
        else:
            show("PATCH", routes.product(record_key(kind, record)), to_api(record))


class _Progress:
    """A click progress bar on a terminal; elsewhere a line every tenth of a long run."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self.bar: Any = None
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
        self.step = max(1, total // 10) if total >= 100 else 0

    def __call__(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif self.step and self.done % self.step == 0 and self.done < self.total:
            click.echo(f"{self.label}: {self.done}/{self.total}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _summary(report: SyncReport, stats: Any, seconds: float, invalid: int) -> str:
    parts = [f"{report.sent} sent"]
    if report.already:
        parts[0] += f" ({report.already} found already created)"
    parts.append(f"{len(report.failures)} failed")
    if invalid:
        parts.append(f"{invalid} invalid, not sent")
    if report.skipped:
        parts.append(f"{report.skipped} skipped (confirmed in the journal)")
    parts.append(f"{stats.retries} retried")
    parts.append(f"{stats.rate_limited} rate-limited waits ({stats.rate_wait_seconds:.1f} s)")
    return f"{report.kind}: " + ", ".join(parts) + f" in {seconds:.1f} s"


def _run(
    kind: str,
    file: str,
    fmt: str | None,
    dry_run: bool,
    rate: float | None,
    journal_path: str | None,
    skip_invalid: bool,
    max_retries: int,
    timeout: float,
    use_import: bool = False,
    poll_interval: float = 1.5,
    trigger: bool = True,
    coupon_set_id: str | None = None,
) -> None:
    from ..api._records import build_records

    if journal_path is not None and journal_path == file:
        raise UsageProblem("--journal must not be the data file itself")
    options = None
    if use_import or kind == COUPONS:
        options = _import_options(kind, coupon_set_id)
    items = _read(file, fmt, kind)
    records, problems = build_records(items, kind)
    if options is not None:
        records, problems = _importable(kind, records, problems)
    invalid = len({id(item) for item, _ in problems})
    if problems:
        _show_problems(problems)
        if not skip_invalid:
            click.echo(
                f"error: {invalid} of {len(items)} records are invalid; nothing was sent "
                "(--skip-invalid sends the valid ones)",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_INVALID)
    if options is not None:
        if dry_run:
            _dry_run_import(options, records)
        else:
            refused = _send_import(
                options, records, rate, journal_path, max_retries, timeout, poll_interval, invalid
            )
            if refused:
                raise click.exceptions.Exit(EXIT_INVALID)
        if problems:
            raise click.exceptions.Exit(EXIT_INVALID)
        return
    if dry_run:
        _dry_run(kind, records)
        if problems:
            raise click.exceptions.Exit(EXIT_INVALID)
        return
    failed = _send(kind, records, rate, journal_path, max_retries, timeout, trigger, invalid)
    if failed or problems:
        raise click.exceptions.Exit(EXIT_INVALID)


def _import_options(kind: str, coupon_set_id: str | None) -> ImportOptions:
    """The form of a CLI import: it ends where the one-by-one sync would (existing records
    overwritten with the fields given); coupon codes go to ``--set``."""
    from ..api._errors import ApiConfigError
    from ..api._imports import ImportOptions

    try:
        return ImportOptions(
            kind,
            override_existing=kind != COUPONS,
            update_only_empty_fields=False,
            coupon_set_id=coupon_set_id,
        )
    except ApiConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _importable(
    kind: str, records: list[tuple[Item, Record]], problems: list[tuple[Item, Any]]
) -> tuple[list[tuple[Item, Record]], list[tuple[Item, Any]]]:
    """The records whose every value fits a cell of the import's CSV; the others' problems
    join ``problems``, in file order."""
    from ..api._import_csv import csv_problems

    kept: list[tuple[Item, Record]] = []
    found = list(problems)
    for item, record in records:
        cells = csv_problems(kind, record)
        if cells:
            found.extend((item, problem) for problem in cells)
        else:
            kept.append((item, record))
    order = {id(item): n for n, (item, _) in enumerate((*records, *problems))}
    found.sort(key=lambda pair: order.get(id(pair[0]), 0))
    return kept, found


def _import_file(options: ImportOptions, records: list[tuple[Item, Record]]) -> bytes:
    from ..api import _routes as routes
    from ..api._import_csv import import_csv

    data = import_csv(options.kind, [record for _, record in records])
    if len(data) > routes.MAX_IMPORT_BYTES:
        raise FileProblem(
            f"the import file would be {len(data):,} bytes, more than the "
            f"{routes.MAX_IMPORT_BYTES:,} bytes Connectif takes (50 MB); split the records "
            "into several files"
        )
    return data


def _dry_run_import(options: ImportOptions, records: list[tuple[Item, Record]]) -> None:
    """Print the import a run would start: the request and its form fields as one JSON line,
    then the CSV file."""
    from ..api import _routes as routes
    from ..api._payloads import api_json

    data = _import_file(options, records)
    request = {"method": "POST", "path": routes.IMPORTS, "form": options.form()}
    click.echo(api_json(request))
    click.echo(data.decode("utf-8"), nl=False)


class _ImportProgress:
    """The import's rows handled (succeeded + failed) of its total, as a bar on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, result: ImportResult) -> None:
        if not sys.stderr.isatty() or not result.total:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=result.total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        done = min(result.processed, result.total)
        if done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _import_summary(
    report: ImportReport, result: ImportResult, seconds: float, invalid: int
) -> str:
    text = f"{report.kind}: import {result.id} {result.status}: {result.counts}"
    if invalid:
        text += f", {invalid} invalid, not sent"
    if report.resumed:
        text += " (started by an earlier run)"
    if result.error_report_url:
        text += f"; failed rows: {result.error_report_url}"
    return text + f" in {seconds:.1f} s"


def _stopped(exc: Exception, journal: object, resume: str) -> UsageProblem:
    """The usage problem that stops a run, saying how to resume when a journal is kept."""
    return UsageProblem(f"{exc}; stopped", *([resume] if journal is not None else []))


def _open(
    stack: ExitStack, rate: float | None, journal_path: str | None, max_retries: int, timeout: float
) -> tuple[ConnectifAPI, Journal | None]:
    """The API client and the journal of one run, closed with ``stack``; a missing key or an
    unusable journal is a usage problem (exit 2)."""
    from ..api._client import ConnectifAPI
    from ..api._errors import ApiConfigError
    from ..api._journal import Journal, JournalError

    try:
        client = stack.enter_context(
            ConnectifAPI(timeout=timeout, max_retries=max_retries, rate_per_minute=rate)
        )
        journal = None
        if journal_path is not None:
            journal = stack.enter_context(Journal(journal_path))
    except (ApiConfigError, JournalError) as exc:
        raise UsageProblem(str(exc)) from None
    return client, journal


def _send_import(
    options: ImportOptions,
    records: list[tuple[Item, Record]],
    rate: float | None,
    journal_path: str | None,
    max_retries: int,
    timeout: float,
    poll_interval: float,
    invalid: int,
) -> bool:
    """Import the records and wait for the end; True when rows failed or it ended in error."""
    from contextlib import ExitStack

    from ..api._bulk import import_records
    from ..api._client import IMPORT_POLL
    from ..api._errors import ApiError, ImportFailed, ImportOutcomeUnknown
    from ..api._journal import JournalError
    from ..api._sync import FATAL

    _import_file(options, records)  # refuse a file over the limit before anything else
    started = time.monotonic()
    kind = options.kind
    poll = dataclasses.replace(
        IMPORT_POLL, initial=poll_interval, maximum=max(poll_interval, IMPORT_POLL.maximum)
    )
    progress = _ImportProgress(kind)
    with ExitStack() as stack:
        client, journal = _open(stack, rate, journal_path, max_retries, timeout)
        stack.callback(progress.close)
        try:
            report = import_records(
                client,
                options,
                [record for _, record in records],
                journal=journal,
                poll=poll,
                progress=progress,
            )
        except ImportFailed as exc:
            progress.close()
            click.echo(f"error: {exc}", err=True)
            click.echo(
                f"{kind}: import {exc.result.id} {exc.result.status}: {exc.result.counts} in "
                f"{time.monotonic() - started:.1f} s"
            )
            return True
        except (*FATAL, ImportOutcomeUnknown, JournalError) as exc:
            resume = "the import's id is in the journal once accepted; run again to resume"
            raise _stopped(exc, journal, resume) from None
        except ApiError as exc:
            progress.close()
            click.echo(f"error: {exc}", err=True)
            click.echo(f"{kind}: the import was refused; nothing was imported")
            return True
    if report.result is None:
        click.echo(
            f"{kind}: import {report.skipped} finished before (confirmed in the journal); "
            "nothing sent"
        )
        return False
    result = report.result
    click.echo(_import_summary(report, result, time.monotonic() - started, invalid))
    return bool(result.errors)


def _send(
    kind: str,
    records: list[tuple[Item, Record]],
    rate: float | None,
    journal_path: str | None,
    max_retries: int,
    timeout: float,
    trigger: bool,
    invalid: int,
) -> int:
    """Send the records; returns how many Connectif refused."""
    from contextlib import ExitStack

    from ..api._errors import ApiError
    from ..api._journal import JournalError
    from ..api._sync import FATAL, sync_records

    started = time.monotonic()
    with ExitStack() as stack:
        client, journal = _open(stack, rate, journal_path, max_retries, timeout)
        progress = _Progress(len(records), f"{kind}")
        try:
            report = sync_records(
                client,
                kind,
                records,
                journal=journal,
                trigger_purchase_event=trigger,
                progress=progress,
            )
        except FATAL as exc:
            progress.close()
            resume = "what Connectif confirmed is in the journal; run again to resume"
            raise _stopped(exc, journal, resume) from None
        except JournalError as exc:
            progress.close()
            raise UsageProblem(f"{exc}; stopped") from None
        progress.close()
    for failure in report.failures:
        error: ApiError = failure.error
        click.echo(f"error: {failure.position}: {failure.key!r}: {error}", err=True)
    click.echo(_summary(report, client.stats, time.monotonic() - started, invalid))
    return len(report.failures)


@api.command(CONTACTS, cls=TagkitCommand)
@_common
def contacts(**options: Any) -> None:
    """Create or update contacts (PATCH /contacts/{email}).

    Each record is a contact as in tags data (primary_key is the email; _name, _surname,
    _birthdate ...), plus the fields only the API takes (_mobile_phone, _mobile_phone_status,
    _sms_subscription_status, _points, _external_id) and custom fields by id, with their JSON
    type.

    \b
    Example:
      tagkit api contacts contacts.csv --journal contacts.journal
    """
    _run(CONTACTS, **options)


@api.command(PRODUCTS, cls=TagkitCommand)
@_common
def products(**options: Any) -> None:
    """Create or update products (PATCH /products/product-id/{product_id}).

    Each record is a product as in tags data (url, product_id, name, unit_price, category
    ...), plus in_stock_units and is_blacklisted (true/false).

    \b
    Example:
      tagkit api products catalogue.jsonl --rate 100
    """
    _run(PRODUCTS, **options)


@api.command(PURCHASES, cls=TagkitCommand)
@_common
@click.option(
    "--no-trigger",
    "no_trigger",
    is_flag=True,
    help="Do not fire the store's On-Purchase workflows (triggerPurchaseEvent=false).",
)
def purchases(no_trigger: bool, use_import: bool, **options: Any) -> None:
    """Create purchases (POST /purchases/), each exactly once.

    Each record is a purchase as in tags data (purchase_id, total_quantity, total_price,
    products ...) plus its contact: an object with primary_key (the email), or the email.
    The contact and every product are upserted first. A purchase whose POST failed is looked
    up before it is sent again, so none is created twice.

    \b
    Example:
      tagkit api purchases orders.jsonl --journal orders.journal
    """
    if use_import:
        raise UsageProblem(
            "purchases cannot be imported: Connectif's import API takes contacts, products and "
            "coupons; send purchases without --import"
        )
    _run(PURCHASES, trigger=not no_trigger, **options)


@api.command(COUPONS, cls=TagkitCommand)
@_common
@click.option(
    "--set",
    "coupon_set_id",
    required=True,
    metavar="ID",
    help="The coupon set the codes go to (its id in Connectif).",
)
def coupons(coupon_set_id: str, use_import: bool, **options: Any) -> None:
    """Add coupon codes to a coupon set, through the import API (POST /imports/).

    Each record is {"code": "..."} in JSON or JSON Lines, or a row of a CSV file with a code
    column. The codes must exist in the shop's own system. Connectif adds every code it is
    sent, so an import is never sent twice: with --journal a run started again waits on the
    import an earlier run started.

    \b
    Example:
      tagkit api coupons --set 6072374b4d3ceb76e44d4323 codes.csv --journal codes.journal
    """
    _run(COUPONS, coupon_set_id=coupon_set_id, **options)


COMMANDS = (api,)
