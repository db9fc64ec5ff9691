"""Lint findings and the rule table: every rule's code, name, severity and the client behaviour
behind it (docs/lint-rules.md describes each with a bad and a fixed example).

>>> RULES["TK202"].severity, RULES["TK202"].anchor
('error', 'number-grammar')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
RANK: Mapping[str, int] = MappingProxyType({INFO: 0, WARNING: 1, ERROR: 2})


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable ``TK`` code, a short name, a severity, the anchor of
    docs/connectif.md it rests on, and what goes wrong."""

    code: str
    name: str
    severity: str
    anchor: str
    summary: str

    @property
    def help_uri(self) -> str:
        return f"docs/lint-rules.md#{self.code.lower()}"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem on one page: where it is, its rule and how to fix it."""

    path: str
    line: int
    column: int
    code: str
    severity: str
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
        }


def _rules(*rows: tuple[str, str, str, str, str]) -> Mapping[str, Rule]:
    table = {
        code: Rule(code, name, sev, anchor, summary) for code, name, sev, anchor, summary in rows
    }
    return MappingProxyType(table)


RULES: Mapping[str, Rule] = _rules(
    # -- the page and its containers ----------------------------------------------------------
    ("TK101", "loader-missing", WARNING, "drop-no-loader", "no loader: nothing is sent"),
    ("TK102", "loader-repeated", ERROR, "drop-no-loader", "more than one loader or store id"),
    ("TK103", "loader-legacy", WARNING, "loader-recognised", "legacy loader"),
    ("TK104", "container-visible", WARNING, "markup-hidden", "container not hidden"),
    ("TK105", "container-nested", WARNING, "lookup-no-nesting", "container inside another"),
    ("TK106", "container-repeated", WARNING, "lookup-first-instance", "second instance ignored"),
    ("TK107", "property-repeated", WARNING, "lookup-first-match", "repeated single value"),
    ("TK108", "property-markup", WARNING, "lookup-no-nesting", "property with child elements"),
    ("TK109", "property-typo", WARNING, "markup-properties", "class close to a property"),
    ("TK110", "tag-typo", WARNING, "lookup-container-by-class", "class close to a tag"),
    ("TK111", "property-not-read", INFO, "key-not-read", "property client 1.3.0 ignores"),
    ("TK112", "title-too-long", INFO, "page-info-title", "title cut at 50 units"),
    ("TK113", "tag-recognised-only", INFO, "tag-recognised-only", "tag tagkit never renders"),
    # -- values --------------------------------------------------------------------------------
    ("TK201", "product-dropped", ERROR, "drop-product", "product or line dropped"),
    ("TK202", "number-misread", ERROR, "number-grammar", "number read differently"),
    ("TK203", "number-unreadable", WARNING, "drop-optional-number", "optional number lost"),
    ("TK204", "line-incomplete", ERROR, "drop-basket-line-keys", "line without quantity/price"),
    ("TK205", "number-out-of-range", WARNING, "number-ranges", "number out of range"),
    ("TK206", "enum-unknown", WARNING, "text-enum", "value outside its list"),
    ("TK207", "enum-case", INFO, "text-enum", "value differs only in case"),
    ("TK208", "category-path", WARNING, "tag-product-category-path", "malformed category"),
    ("TK209", "page-info-over-limit", WARNING, "page-info-categories", "over 10 values"),
    ("TK210", "page-tag-too-long", WARNING, "page-info-tags", "page tag cut at 25 units"),
    ("TK211", "url-not-absolute", WARNING, "text-url", "URL relative or encoded"),
    ("TK212", "empty-list-item", INFO, "empty-multi-valued", "empty list element dropped"),
    ("TK213", "cart-dropped", ERROR, "drop-cart", "cart dropped"),
    ("TK214", "cart-quantity-mismatch", WARNING, "number-ranges", "total ≠ sum of lines"),
    ("TK215", "purchase-dropped", ERROR, "drop-purchase", "purchase dropped"),
    ("TK216", "purchase-without-lines", WARNING, "tag-purchase", "purchase without lines"),
    ("TK217", "purchase-without-cart-id", INFO, "tag-purchase", "purchase without cart_id"),
    ("TK218", "date-without-offset", WARNING, "date-passed-through", "date without offset"),
    ("TK219", "search-empty", ERROR, "drop-search", "no search event"),
    ("TK220", "newsletter-without-email", ERROR, "drop-newsletter-email", "no email sent"),
    ("TK221", "email-implausible", WARNING, "text-email", "implausible email"),
    ("TK222", "text-control-character", WARNING, "text-render-rules", "control character"),
    # -- the contact ---------------------------------------------------------------------------
    (
        "TK301",
        "contact-property-nested",
        ERROR,
        "lookup-client-info-direct-children",
        "contact property not a direct child",
    ),
    (
        "TK302",
        "contact-several-classes",
        ERROR,
        "lookup-client-info-class-key",
        "contact child with several classes",
    ),
    (
        "TK303",
        "contact-child-without-class",
        WARNING,
        "lookup-client-info-class-key",
        "contact child ignored",
    ),
    ("TK304", "contact-empty-primary-key", WARNING, "contact-primary-key", "empty primary_key"),
    ("TK305", "marker-without-contact", WARNING, "tag-login-register", "login without email"),
    ("TK306", "tracker-id-invalid", WARNING, "contact-tracker-id", "tracker_id not 24 hex"),
    # -- the page as a whole -------------------------------------------------------------------
    ("TK401", "purchase-without-empty-cart", WARNING, "tag-cart-empty", "cart not emptied"),
    ("TK402", "personal-data-cached", ERROR, "contact-private", "personal data in shared cache"),
    # -- the site ------------------------------------------------------------------------------
    ("TK501", "product-page-untagged", WARNING, "tag-product-events", "product page untagged"),
    ("TK502", "worker-unusable", ERROR, "worker-same-origin", "service worker unusable"),
)


def severity_at_least(severity: str, threshold: str) -> bool:
    return RANK[severity] >= RANK[threshold]


__all__ = ["ERROR", "INFO", "RANK", "RULES", "SEVERITIES", "WARNING", "Finding", "Rule"]
