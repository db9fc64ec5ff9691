// The store-configuration tail the CDN appends to the generic client for one store
// (docs/connectif.md#request-store-config). .ci/test.sh and tests/browser build a CDN-style
// client file from tagkit's double followed by this tail, for the `--connectif-client` run.
// Every setting differs from what the browser tests expect (another region and store, tracking
// off, another domain, sampled out, push keys, a storage frame), so a test passes with this file
// only when the harness overrides the store configuration (docs/connectif.md#request-test-double).
window.connectifConfiguration = {"baseUrl": "https://eu4-api.connectif.cloud:443/", "token": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "webTrackingEnabled": false, "autoSendEventsOnInit": true, "trackAllByDefault": false, "excludeTracking": [".*"], "includeTracking": [], "samplingTrackingPercent": 0, "allowedDomains": ["https://www.another-shop.example/"], "vapidPublicKey": "BStorePublicKey", "serviceWorkerUrl": "https://www.another-shop.example/service-worker.js", "iframeSource": "https://www.another-shop.example/connectif-storage.html", "forms": [], "webEventPayloadDefinitions": [], "autoInitialize": true};
window.initializeConnectif(window.connectifConfiguration);
