"""What the harness serves as Connectif's client script, and the store configuration in it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

# docs/connectif.md#loader-url: https://cdn.connectif.cloud/{region}/client-script/{store_id}
CLIENT_SCRIPT_URL = re.compile(
    r"^https://cdn\.connectif\.cloud/(?P<region>[^/?#]+)/client-script/(?P<store_id>[^/?#]+)"
)
# docs/connectif.md#request-endpoint: the store configuration's baseUrl for a region.
API_BASE_URL = "https://{region}-api.connectif.cloud:443/"

PROFILES: tuple[str, ...] = ("1.3.0", "newer")


@dataclass(frozen=True)
class ClientScriptRequest:
    """The region and store id taken from a client-script URL."""

    region: str
    store_id: str

    @classmethod
    def match(cls, url: str) -> ClientScriptRequest | None:
        """Parse a client-script URL; ``None`` for any other URL.

        >>> ClientScriptRequest.match("https://cdn.connectif.cloud/eu1/client-script/abc")
        ClientScriptRequest(region='eu1', store_id='abc')
        """
        found = CLIENT_SCRIPT_URL.match(url)
        if found is None:
            return None
        return cls(region=found.group("region"), store_id=found.group("store_id"))

    @property
    def base_url(self) -> str:
        """The API base URL for this region, in the form the store config uses
        (docs/connectif.md#request-endpoint)."""
        return API_BASE_URL.format(region=self.region)


def harness_overrides(auto_send: bool, config: Mapping[str, object] | None) -> dict[str, object]:
    """The store-config keys the harness controls, then the test's own ``config`` on top.

    These apply to the double and to a real client file alike: tracking on for every page of
    the fake origin (docs/connectif.md#request-test-double), auto-send per the test, no push
    keys and no cross-domain storage frame (its URL would be blocked and start-up would never
    settle).

    >>> harness_overrides(False, {"allowedDomains": ["https://shop.example/"]})["allowedDomains"]
    ['https://shop.example/']
    """
    overrides: dict[str, object] = {
        "webTrackingEnabled": True,
        "trackAllByDefault": True,
        "autoSendEventsOnInit": auto_send,
        "excludeTracking": [],
        "includeTracking": [],
        "allowedDomains": [],
        "samplingTrackingPercent": 100,
        "vapidPublicKey": None,
        "serviceWorkerUrl": None,
        "iframeSource": None,
    }
    overrides.update(config or {})
    return overrides


def store_configuration(
    script: ClientScriptRequest, overrides: Mapping[str, object]
) -> dict[str, object]:
    """The full store configuration for a store: base URL and token, then ``overrides``.

    >>> cfg = store_configuration(ClientScriptRequest("eu1", "s1"), {"webTrackingEnabled": True})
    >>> cfg["baseUrl"], cfg["token"]
    ('https://eu1-api.connectif.cloud:443/', 's1')
    """
    configuration: dict[str, object] = {
        "baseUrl": script.base_url,
        "token": script.store_id,
        "forms": [],
        "webEventPayloadDefinitions": [],
        "autoInitialize": True,
    }
    configuration.update(overrides)
    return configuration


def _js(value: object) -> str:
    # ASCII-only JSON is valid JavaScript in every engine (no raw U+2028/U+2029).
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


def _init_tail(configuration: Mapping[str, object]) -> str:
    return (
        f"window.connectifConfiguration = {_js(configuration)};\n"
        "window.initializeConnectif(window.connectifConfiguration);\n"
    )


def double_script(double_source: str, profile: str, configuration: Mapping[str, object]) -> str:
    """The double as the CDN would serve it: options, the client code, the store tail.

    >>> print(double_script("/* double */", "newer", {"token": "s1"}))
    window.connectifDoubleOptions = {"profile": "newer"};
    /* double */
    window.connectifConfiguration = {"token": "s1"};
    window.initializeConnectif(window.connectifConfiguration);
    <BLANKLINE>
    """
    return (
        f"window.connectifDoubleOptions = {_js({'profile': profile})};\n"
        f"{double_source.rstrip()}\n"
        f"{_init_tail(configuration)}"
    )


def real_client_script(client_source: str, fallback_configuration: Mapping[str, object]) -> str:
    """A user's client file, unchanged, plus a tail that runs only if the file has none.

    A file saved from the CDN ends with its own store tail; a bare generic client does not, and
    then nothing would call ``initializeConnectif``. ``connectif.managed`` exists exactly when
    it was called (docs/connectif.md#wait-globals), so the appended tail checks that.
    """
    return (
        f"{client_source.rstrip()}\n"
        ";if (!(window.connectif && window.connectif.managed)) {\n"
        f"{_init_tail(fallback_configuration)}"
        "}\n"
    )


_PAGE_PROBE = """
(() => {
  const state = (window.__tagkitHarness = window.__tagkitHarness || {});
  state.lifecycle = [];
  for (const name of NAMES) {
    document.addEventListener(name, () => state.lifecycle.push(name));
  }
  // Count notification exchanges started and finished. 'loadend' fires after the client's own
  // readystatechange handler, so a finished exchange means the response has been handled
  // (tracker stored, onResponded called).
  state.notificationsStarted = 0;
  state.notificationsFinished = 0;
  const notification = /\\/integration-type\\/system\\/scrippet-notification\\//;
  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  const send = proto.send;
  proto.open = function (method, url) {
    this.__tagkitNotification = notification.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (this.__tagkitNotification) {
      state.notificationsStarted += 1;
      this.addEventListener('loadend', () => { state.notificationsFinished += 1; });
    }
    return send.apply(this, arguments);
  };
})();
"""

_CONFIG_OVERRIDE = """
(() => {
  const overrides = OVERRIDES;
  const clientScript = new RegExp(CLIENT_SCRIPT_PATTERN);
  const state = (window.__tagkitHarness = window.__tagkitHarness || {});
  const made = (state.configOverrides = state.configOverrides || {});
  // The store the page's loader asked for: the store tail runs inside the client script, so
  // document.currentScript is that script; otherwise the page's first client-script element.
  const storeSettings = () => {
    const scripts = [
      document.currentScript,
      document.querySelector('script[src*="/client-script/"]'),
    ];
    for (const script of scripts) {
      const found = script && script.src ? clientScript.exec(script.src) : null;
      if (found) {
        return {
          baseUrl: BASE_URL.replace('{region}', found.groups.region),
          token: found.groups.store_id,
        };
      }
    }
    return {};
  };
  const plain = (value) => JSON.stringify(value === undefined ? null : value);
  const merge = (value) => {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const wanted = Object.assign(storeSettings(), overrides);
    for (const key of Object.keys(wanted)) {
      if (plain(value[key]) !== plain(wanted[key]) && !(key in made)) {
        made[key] = [value[key] === undefined ? null : value[key], wanted[key]];
      }
    }
    return Object.assign({}, value, wanted);
  };
  let configuration;
  let initialize;
  Object.defineProperty(window, 'connectifConfiguration', {
    configurable: true,
    enumerable: true,
    get: () => configuration,
    set: (value) => {
      configuration = merge(value);
      state.configurationTrapped = true;
    },
  });
  Object.defineProperty(window, 'initializeConnectif', {
    configurable: true,
    enumerable: true,
    get: () => initialize,
    set: (fn) => {
      initialize = typeof fn !== 'function' ? fn : function (value) {
        state.initializeTrapped = true;
        return fn.call(this, merge(value));
      };
    },
  });
})();
"""


def page_probe_script() -> str:
    """Init script recording Connectif's lifecycle events (docs/connectif.md#wait-lifecycle-events)
    and counting the notification requests the page started and finished handling."""
    names = [
        "connectif.loaded",
        "connectif.managed.initialized",
        "connectif.initialized",
        "connectif.managed.tracker_changed",
    ]
    return _PAGE_PROBE.replace("NAMES", _js(names))


def config_override_script(overrides: Mapping[str, object]) -> str:
    """Init script making a real client's own store tail use the harness's settings.

    The tail of a CDN response is ``window.connectifConfiguration = {...};
    window.initializeConnectif(window.connectifConfiguration);``
    (docs/connectif.md#request-store-config). Accessors installed
    before any page script merge the harness's settings into the object assigned to
    ``connectifConfiguration`` and into the argument of whatever function is assigned to
    ``initializeConnectif``. Either trap alone is enough, so the override holds whether the
    client declares its globals by assignment or not.

    The settings are, as for the double (:func:`store_configuration`): ``baseUrl`` and ``token``
    of the store named by the client-script URL the page loaded, then ``overrides``. Every key
    whose value the file had set differently is recorded once, as ``[file's value, harness's
    value]``, in ``window.__tagkitHarness.configOverrides``.
    """
    return (
        _CONFIG_OVERRIDE.replace("CLIENT_SCRIPT_PATTERN", _js(_js_pattern(CLIENT_SCRIPT_URL)))
        .replace("BASE_URL", _js(API_BASE_URL))
        .replace("OVERRIDES", _js(dict(overrides)))
    )


def _js_pattern(pattern: re.Pattern[str]) -> str:
    """A Python pattern as JavaScript ``RegExp`` source (named groups are spelled ``(?<name>``).

    >>> _js_pattern(re.compile(r"^a(?P<x>b)"))
    '^a(?<x>b)'
    """
    return pattern.pattern.replace("(?P<", "(?<")
