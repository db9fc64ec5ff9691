/*
 * connectif-double.js: a local stand-in for Connectif's client script.
 *
 * Written from tagkit's Connectif reference (docs/connectif.md, cited below by anchor, e.g.
 * docs/connectif.md#lookup-first-match) and from nothing else: it shares no code with tagkit's
 * renderer or parser, so a test where tagkit's output and this double agree checks two independent
 * readings of the same rules.
 *
 * How it is served (mirroring the real CDN response, docs/connectif.md#request-store-config):
 *
 *     window.connectifDoubleOptions = {profile: "1.3.0"};   // set by the test harness
 *     <this file>
 *     window.connectifConfiguration = {...};                // store configuration
 *     window.initializeConnectif(window.connectifConfiguration);
 *
 * Profiles: "1.3.0" reproduces the publicly observed client (docs/connectif.md#wait-globals);
 * "newer" adds what newer clients are known to expose: connectif.managed.isInitialized() and
 * connectif.managed.tracker_changed.
 *
 * Not reproduced (no test of tagkit depends on them): Connectif forms and the events they carry over
 * to the next page, web contents, pop-ups and banners, push subscription (so `pushSubscription` is
 * never sent), and the cross-domain storage frame (`iframeSource` is ignored; storage keys are never
 * prefixed).
 */
(function () {
  'use strict';

  const VERSIONS = { '1.3.0': '1.3.0', newer: '1.4.0-double' };
  const doubleOptions = window.connectifDoubleOptions || {};
  const profile = doubleOptions.profile === undefined ? '1.3.0' : doubleOptions.profile;
  if (!Object.prototype.hasOwnProperty.call(VERSIONS, profile)) {
    throw new Error(
      'connectif-double: unknown profile ' + JSON.stringify(profile) +
      '; set window.connectifDoubleOptions.profile to "1.3.0" or "newer"'
    );
  }

  // The exact text observed with client 1.3.0 (docs/connectif.md#wait-not-initialized-throws);
  // integrations may match on it.
  const NOT_INITIALIZED = 'Connectif: cannot getSubscription before initialize';
  const NOTIFICATION_PATH = 'integration-type/system/scrippet-notification/';
  const KEY_TRACKER = 'cn_tracker';
  const KEY_PREVIOUS_ENTITY_INFO = 'cn_previous_entity_info';
  const KEY_PREVIOUS_CART = 'cn_previous_cart';

  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

  function dispatch(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  // ---------------------------------------------------------------------------------------------
  // Reading tags (docs/connectif.md#lookup, docs/connectif.md#tag)
  // ---------------------------------------------------------------------------------------------

  // docs/connectif.md#text-read, docs/connectif.md#text-rendered-css: innerText follows CSS for
  // rendered elements (a visible name styled uppercase arrives uppercase); textContent is only the
  // fallback when innerText is empty.
  function readText(element) {
    let text = element.innerText;
    if (!text) {
      text = element.textContent;
    }
    return (text || '').trim();
  }

  // docs/connectif.md#lookup-any-depth, docs/connectif.md#lookup-first-match: lookup by class name
  // at any depth inside the container; the first match in document order wins for single values. A
  // missing element gives undefined, so the key is left out of the object (JSON drops undefined),
  // while a present but empty element gives "" (only multi-valued properties drop empty values,
  // docs/connectif.md#empty-multi-valued).
  function single(container, className) {
    const element = container.getElementsByClassName(className)[0];
    return element ? readText(element) : undefined;
  }

  function every(container, className) {
    return Array.prototype.slice.call(container.getElementsByClassName(className));
  }

  // docs/connectif.md#lookup-every-match, docs/connectif.md#empty-multi-valued: every match,
  // empty values dropped.
  function multiple(container, className) {
    return every(container, className).map(readText).filter((text) => text !== '');
  }

  // docs/connectif.md#number-client-parse: the client uses parseFloat / parseInt, so "1.234,50" is
  // 1.234 and "2.5" as an integer is 2; text that does not parse at all leaves the key out
  // (docs/connectif.md#drop-optional-number).
  function optionalFloat(text) {
    const value = parseFloat(text);
    return isNaN(value) ? undefined : value;
  }

  function optionalInt(text) {
    const value = parseInt(text, 10);
    return isNaN(value) ? undefined : value;
  }

  // A required total passes only when it parses to a number >= 0 (NaN fails the comparison).
  const isNonNegative = (value) => typeof value === 'number' && value >= 0;

  // Tag class → JS key (docs/connectif.md#key-renamed, docs/connectif.md#event-objects).
  // published_at is deliberately absent: client 1.3.0 does not read it from tags
  // (docs/connectif.md#key-not-read), and this double must send exactly what that client sends.
  const PRODUCT_TEXT = [
    ['url', 'productDetailUrl'],
    ['product_id', 'productId'],
    ['name', 'name'],
    ['image_url', 'imageUrl'],
    ['thumbnail_url', 'thumbnailUrl'],
    ['description', 'description'],
    ['availability', 'availability'],
    ['brand', 'brand'],
    ['custom_field_1', 'customField1'],
    ['custom_field_2', 'customField2'],
    ['custom_field_3', 'customField3'],
  ];
  const PRODUCT_DECIMAL = [
    ['unit_price', 'unitPrice'],
    ['rating_value', 'rating'],
    ['unit_price_original', 'unitPriceOriginal'],
    ['unit_price_without_vat', 'unitPriceWithoutVAT'],
    ['discounted_amount', 'discountedAmount'],
    ['discounted_percentage', 'discountedPercentage'],
  ];
  const PRODUCT_INTEGER = [
    ['priority', 'priority'],
    ['review_count', 'reviewCount'],
    ['rating_count', 'ratingCount'],
  ];
  // These arrays are always present, possibly empty (docs/connectif.md#empty-arrays-present).
  const PRODUCT_LIST = [
    ['category', 'categories'],
    ['tag', 'tags'],
    ['related_external_product_id', 'relatedExternalProductIds'],
  ];

  // docs/connectif.md#drop-product: a product is kept only when name, url and product_id are
  // non-empty and unit_price parses to a number >= 0; otherwise null (silently dropped by the
  // caller).
  function readProduct(container) {
    const product = {};
    PRODUCT_TEXT.forEach(([className, key]) => {
      product[key] = single(container, className);
    });
    PRODUCT_DECIMAL.forEach(([className, key]) => {
      product[key] = optionalFloat(single(container, className));
    });
    PRODUCT_INTEGER.forEach(([className, key]) => {
      product[key] = optionalInt(single(container, className));
    });
    PRODUCT_LIST.forEach(([className, key]) => {
      product[key] = multiple(container, className);
    });
    if (!product.name || !product.productDetailUrl || !product.productId) {
      return null;
    }
    if (!isNonNegative(product.unitPrice)) {
      return null;
    }
    return product;
  }

  // docs/connectif.md#tag-basket-item: one line per product_basket_item (any depth, every match). A
  // line whose product is invalid is dropped whole; a missing or unparseable quantity / price only
  // loses that key (docs/connectif.md#drop-basket-line-keys).
  function readBasketItems(container) {
    const items = [];
    every(container, 'product_basket_item').forEach((element) => {
      const product = readProduct(element);
      if (product === null) {
        return;
      }
      product.quantity = optionalInt(single(element, 'quantity'));
      product.price = optionalFloat(single(element, 'price'));
      items.push(product);
    });
    return items;
  }

  // docs/connectif.md#drop-cart: first cn_cart only; dropped unless cart_id is non-empty and both
  // totals parse >= 0. cart_recovery_url is not read by client 1.3.0
  // (docs/connectif.md#key-not-read).
  function readCart() {
    const container = document.getElementsByClassName('cn_cart')[0];
    if (!container) {
      return undefined;
    }
    const cart = {
      cartId: single(container, 'cart_id'),
      totalQuantity: optionalInt(single(container, 'total_quantity')),
      totalPrice: optionalFloat(single(container, 'total_price')),
      products: readBasketItems(container),
    };
    if (!cart.cartId || !isNonNegative(cart.totalQuantity) || !isNonNegative(cart.totalPrice)) {
      return undefined;
    }
    return cart;
  }

  // docs/connectif.md#drop-purchase: dropped unless purchase_id is non-empty and both totals parse
  // >= 0. source_name and source_type are not read by client 1.3.0
  // (docs/connectif.md#key-not-read); purchase_date is passed through as text
  // (docs/connectif.md#date-passed-through).
  function readPurchase(container) {
    const purchase = {
      purchaseId: single(container, 'purchase_id'),
      cartId: single(container, 'cart_id'),
      totalQuantity: optionalInt(single(container, 'total_quantity')),
      totalPrice: optionalFloat(single(container, 'total_price')),
      paymentMethod: single(container, 'payment_method'),
      purchaseDate: single(container, 'purchase_date'),
      products: readBasketItems(container),
    };
    if (
      !purchase.purchaseId ||
      !isNonNegative(purchase.totalQuantity) ||
      !isNonNegative(purchase.totalPrice)
    ) {
      return null;
    }
    return purchase;
  }

  // docs/connectif.md#contact-block: system fields whose JS key differs from the class; every other
  // class (the remaining system fields and custom field ids) is used unchanged.
  const CONTACT_KEYS = {
    primary_key: 'primaryKey',
    tracker_id: 'trackerId',
    _newsletter_subscription_status: '_newsletterSubscriptionStatus',
    _email_status: '_emailStatus',
  };

  // docs/connectif.md#lookup-client-info-direct-children: cn_client_info is read differently from
  // every other container: only its direct children count, and the key is the child's entire class
  // attribute, so class="primary_key extra" yields the key "primary_key extra" and the email is
  // lost (docs/connectif.md#lookup-client-info-class-key). A child without a class is ignored. When
  // two children carry the same class the first wins, as for a repeated property anywhere else
  // (docs/connectif.md#lookup-first-match).
  function readEntityInfo() {
    const entityInfo = {};
    const container = document.getElementsByClassName('cn_client_info')[0];
    if (!container) {
      return entityInfo;
    }
    Array.prototype.forEach.call(container.children, (child) => {
      const className = child.getAttribute('class');
      if (!className) {
        return;
      }
      const key = hasOwn(CONTACT_KEYS, className) ? CONTACT_KEYS[className] : className;
      if (!hasOwn(entityInfo, key)) {
        entityInfo[key] = readText(child);
      }
    });
    return entityInfo;
  }

  // docs/connectif.md#event-order: auto-collected order, page-visit last. The first group of the
  // real order (events carried over from Connectif forms and configured custom events) is not
  // reproduced.
  function readEvents() {
    const events = [];
    every(document, 'cn_product_visited').forEach((element) => {
      const product = readProduct(element);
      if (product !== null) {
        events.push({ type: 'product-visited', product: product });
      }
    });
    every(document, 'cn_product_searched').forEach((element) => {
      const product = readProduct(element);
      if (product !== null) {
        events.push({ type: 'product-searched', product: product });
      }
    });
    // docs/connectif.md#tag-recognised-only: only product_id is used, and only a non-empty one
    // produces an event.
    every(document, 'cn_product_not_found').forEach((element) => {
      const productId = single(element, 'product_id');
      if (productId) {
        events.push({ type: 'product-not-found', productId: productId });
      }
    });
    // docs/connectif.md#lookup-presence: presence markers; several instances still make one event.
    if (document.getElementsByClassName('cn_login').length > 0) {
      events.push({ type: 'login' });
    }
    if (document.getElementsByClassName('cn_register').length > 0) {
      events.push({ type: 'register' });
    }
    const search = document.getElementsByClassName('cn_search')[0];
    if (search) {
      const searchText = single(search, 'search_text');
      if (searchText) {
        events.push({ type: 'search', searchText: searchText });
      }
    }
    // docs/connectif.md#drop-newsletter-email: the event is sent even without an email element
    // (then without the key).
    const newsletter = document.getElementsByClassName('cn_newsletter_subscribe')[0];
    if (newsletter) {
      events.push({ type: 'newsletter-subscribe', email: single(newsletter, 'email') });
    }
    every(document, 'cn_purchase').forEach((element) => {
      const purchase = readPurchase(element);
      if (purchase !== null) {
        events.push({ type: 'purchase', purchase: purchase });
      }
    });
    events.push({ type: 'page-visit' });
    return events;
  }

  // docs/connectif.md#page-info-from-dom: page information travels with every request and is
  // always read from the DOM.
  function readPageInfo() {
    const categories = every(document, 'cn_page_category')
      .map(readText)
      .filter((text) => text !== '')
      .slice(0, 10);
    // docs/connectif.md#page-info-tags: tags are trimmed and cut to 25 UTF-16 units. Empty tags are
    // dropped like every other empty multi-valued value (docs/connectif.md#empty-multi-valued),
    // before the limit of 10 is applied.
    const tags = every(document, 'cn_page_tag')
      .map((element) => readText(element).substring(0, 25))
      .filter((text) => text !== '')
      .slice(0, 10);
    // docs/connectif.md#page-info-keywords: the meta content is split on ',' without trimming.
    // The reference does not say what is sent without a keywords meta tag; this double sends an
    // empty list.
    const meta = document.querySelector('meta[name="keywords"]');
    const keywords = meta ? (meta.getAttribute('content') || '').split(',') : [];
    return {
      categories: categories,
      title: (document.title || '').substring(0, 50),
      keywords: keywords,
      tags: tags,
    };
  }

  // docs/connectif.md#tag-recognised-only: legacy inline-content slots; elements without an id are
  // skipped.
  function readBannerPlaceholders() {
    return every(document, 'cn_banner_placeholder')
      .map((element) => element.id)
      .filter((id) => id !== '');
  }

  function readBrowserInfo() {
    return {
      windowWidth: window.outerWidth,
      windowHeight: window.outerHeight,
      screenWidth: window.screen.width,
      screenHeight: window.screen.height,
      colorDepth: window.screen.colorDepth,
      cookieEnabled: navigator.cookieEnabled,
      language: navigator.language,
      platform: navigator.platform,
      url: encodeURIComponent(location.href),
      referer: document.referrer,
      device: window.matchMedia('(max-width: 760px)').matches ? 'mobile' : 'desktop',
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Storage (docs/connectif.md#request-client-storage)
  // ---------------------------------------------------------------------------------------------

  // Corrupt or missing entries read as null: the double must never fail because a page stored
  // something odd under a Connectif key.
  function loadJson(key) {
    try {
      const text = window.localStorage.getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  function storeJson(key, value) {
    window.localStorage.setItem(key, JSON.stringify(value));
  }

  function storedTrackerId() {
    const tracker = loadJson(KEY_TRACKER);
    return isObject(tracker) && typeof tracker.id === 'string' && tracker.id ? tracker.id : undefined;
  }

  function storeTrackerId(id) {
    const previous = storedTrackerId();
    storeJson(KEY_TRACKER, { id: id });
    // docs/connectif.md#wait-lifecycle-events: only newer clients announce a tracker change. The
    // detail shape is not specified; this double passes {trackerId}.
    if (profile === 'newer' && previous !== id) {
      dispatch('connectif.managed.tracker_changed', { trackerId: id });
    }
  }

  function trackerIdFromUrl() {
    const id = new URL(location.href).searchParams.get('__cn_tracker');
    return id ? id : undefined;
  }

  // docs/connectif.md#request-client-storage: a __cn_tracker parameter (from Connectif emails) is
  // stored as the tracker and removed from the address bar.
  function adoptTrackerFromUrl() {
    const id = trackerIdFromUrl();
    if (id === undefined) {
      return;
    }
    storeTrackerId(id.substring(0, 24));
    const url = new URL(location.href);
    url.searchParams.delete('__cn_tracker');
    history.replaceState(history.state, '', url.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison (docs/connectif.md#dedup)
  // ---------------------------------------------------------------------------------------------

  // Structural equality of JSON-like values. Keys holding undefined are ignored because JSON
  // drops them: an object and its stored copy must compare equal.
  function deepEquals(a, b) {
    if (a === b) {
      return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      return (
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === b.length &&
        a.every((item, index) => deepEquals(item, b[index]))
      );
    }
    if (!isObject(a) || !isObject(b)) {
      return false;
    }
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    return (
      keysA.length === keysB.length &&
      keysA.every((key) => hasOwn(b, key) && deepEquals(a[key], b[key]))
    );
  }

  // docs/connectif.md#dedup-cart: the cart counts as unchanged when id, totals and line count are
  // equal and every line matches one previous line on productId, quantity and price. Other product
  // fields do not count.
  function sameCart(cart, previous) {
    if (!isObject(cart) || !isObject(previous)) {
      return false;
    }
    const lines = Array.isArray(cart.products) ? cart.products : [];
    const previousLines = Array.isArray(previous.products) ? previous.products : [];
    return (
      cart.cartId === previous.cartId &&
      cart.totalPrice === previous.totalPrice &&
      cart.totalQuantity === previous.totalQuantity &&
      lines.length === previousLines.length &&
      lines.every((line) =>
        previousLines.some(
          (old) =>
            isObject(line) &&
            isObject(old) &&
            line.productId === old.productId &&
            line.quantity === old.quantity &&
            line.price === old.price
        )
      )
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Hooks (docs/connectif.md#wait-globals)
  // ---------------------------------------------------------------------------------------------

  const hooks = {};

  function addHookHandler(hook, handler) {
    if (typeof handler !== 'function') {
      throw new TypeError('connectif.addHookHandler(' + JSON.stringify(hook) + ', handler): handler must be a function');
    }
    (hooks[hook] = hooks[hook] || []).push(handler);
  }

  // Handlers run in registration order; each gets (data, done) and passes the (possibly replaced)
  // data on with done(error, data). docs/connectif.md does not say what an error does; this double
  // then sends nothing and reports the error on the console.
  function runHooks(hook, data, finish) {
    const handlers = (hooks[hook] || []).slice();
    let index = 0;
    function next(current) {
      if (index >= handlers.length) {
        finish(null, current);
        return;
      }
      const handler = handlers[index++];
      let called = false;
      handler(current, (error, replaced) => {
        if (called) {
          return;
        }
        called = true;
        if (error) {
          finish(error, current);
        } else {
          next(replaced === undefined ? current : replaced);
        }
      });
    }
    next(data);
  }

  // ---------------------------------------------------------------------------------------------
  // The store tail calls initializeConnectif (docs/connectif.md#wait-globals,
  // docs/connectif.md#wait-start-up-sequence)
  // ---------------------------------------------------------------------------------------------

  function asPatternList(value) {
    if (typeof value === 'string') {
      return value ? [value] : [];
    }
    return Array.isArray(value) ? value.filter((item) => typeof item === 'string' && item) : [];
  }

  // A stable per-visitor sampling value in [0, 100): derived from the tracker id when one is
  // known, otherwise drawn once per page. The reference only says sampling excludes a share of
  // visitors (docs/connectif.md#request-skip-conditions).
  let pageSamplingValue = null;
  function samplingValue() {
    const tracker = storedTrackerId();
    if (tracker) {
      let hash = 0;
      for (let i = 0; i < tracker.length; i++) {
        hash = (hash * 31 + tracker.charCodeAt(i)) % 100000;
      }
      return hash % 100;
    }
    if (pageSamplingValue === null) {
      pageSamplingValue = Math.random() * 100;
    }
    return pageSamplingValue;
  }

  function initializeConnectif(config) {
    if (!isObject(config) || typeof config.baseUrl !== 'string' || typeof config.token !== 'string') {
      throw new Error(
        'connectif-double: initializeConnectif(config) needs the store configuration with string ' +
        '"baseUrl" and "token", got ' + JSON.stringify(config)
      );
    }
    if (connectif.managed) {
      console.warn('connectif-double: initializeConnectif was called again; the second call is ignored');
      return;
    }

    let initialized = false;
    let token;
    let startupEvents = [];

    // docs/connectif.md#request-skip-conditions: entries need the scheme, since they are plain
    // prefixes of location.href.
    function isAllowedDomain() {
      const domains = asPatternList(config.allowedDomains);
      return domains.length === 0 || domains.some((prefix) => location.href.indexOf(prefix) === 0);
    }

    function matchesAny(patterns) {
      return asPatternList(patterns).some((pattern) => {
        try {
          return new RegExp(pattern).test(location.href);
        } catch (error) {
          console.error('connectif-double: invalid tracking rule ' + JSON.stringify(pattern) + ': ' + error.message);
          return false;
        }
      });
    }

    // docs/connectif.md#request-skip-conditions: with trackAllByDefault a page is excluded when an
    // excludeTracking regex matches; without it, when no includeTracking regex matches.
    function isExcludedPage() {
      return config.trackAllByDefault
        ? matchesAny(config.excludeTracking)
        : !matchesAny(config.includeTracking);
    }

    // A missing percentage means no sampling; 100 keeps everyone, 0 excludes everyone.
    function isSampledIn() {
      const percent = config.samplingTrackingPercent;
      return typeof percent !== 'number' || samplingValue() < percent;
    }

    function isTrackingAllowed() {
      return Boolean(config.webTrackingEnabled) && isAllowedDomain() && !isExcludedPage() && isSampledIn();
    }

    function post(data, onResponded, resolve) {
      const request = new XMLHttpRequest();
      request.open('POST', config.baseUrl + NOTIFICATION_PATH + token, true);
      request.setRequestHeader('Content-type', 'text/plain');
      request.onreadystatechange = () => {
        if (request.readyState !== 4) {
          return;
        }
        try {
          // Status 0 is a network failure: there is no response and, in 1.3.0, no error callback.
          if (request.status === 0) {
            return;
          }
          // docs/connectif.md#request-response: every completed response is parsed as JSON whatever
          // its status; a non-JSON body throws here and surfaces as an uncaught page error, as with
          // the real client.
          const response = JSON.parse(request.responseText);
          if (isObject(response) && typeof response.trackerId === 'string' && response.trackerId) {
            storeTrackerId(response.trackerId);
          }
          if (onResponded) {
            onResponded();
          }
        } finally {
          resolve(undefined);
        }
      };
      request.send(JSON.stringify(data));
    }

    // docs/connectif.md#event-send-events, docs/connectif.md#event-options.
    function send(events, options, resolve) {
      const onResponded = typeof options.onResponded === 'function' ? options.onResponded : null;
      // A de-duplicated call still answers, asynchronously (docs/connectif.md#event-options).
      const skip = () => {
        setTimeout(() => {
          if (onResponded) {
            onResponded();
          }
          resolve(undefined);
        }, 0);
      };

      // The given contact object is written into, not copied
      // (docs/connectif.md#event-client-substitutions): integrations must build a
      // fresh object per call, and this double lets tests notice when they do not.
      const entityInfo = isObject(options.entityInfo) ? options.entityInfo : readEntityInfo();
      const tracker = entityInfo.trackerId || storedTrackerId() || trackerIdFromUrl();
      if (tracker) {
        entityInfo.trackerId = String(tracker).substring(0, 24);
      }

      let cart = isObject(options.cart) ? options.cart : readCart();
      if (cart !== undefined && sameCart(cart, loadJson(KEY_PREVIOUS_CART))) {
        cart = undefined;
      }
      // docs/connectif.md#dedup-request-skip: nothing to say. There is no push subscription in this
      // double, so it never changes.
      if (cart === undefined && events.length === 0 && deepEquals(entityInfo, loadJson(KEY_PREVIOUS_ENTITY_INFO))) {
        skip();
        return;
      }

      const data = {
        entityInfo: entityInfo,
        cart: cart,
        events: events,
        bannerPlaceholders: readBannerPlaceholders(),
        pageInfo: readPageInfo(),
        browserInfo: readBrowserInfo(),
      };
      runHooks('before-send-data', data, (error, finalData) => {
        if (error) {
          console.error('connectif-double: a before-send-data hook failed, nothing was sent: ' + error);
          resolve(undefined);
          return;
        }
        // Remembered when sent (docs/connectif.md does not say whether before or after the
        // response), so a second identical call right after the first is de-duplicated too.
        storeJson(KEY_PREVIOUS_ENTITY_INFO, finalData.entityInfo);
        if (finalData.cart !== undefined) {
          storeJson(KEY_PREVIOUS_CART, finalData.cart);
        }
        post(finalData, onResponded, resolve);
      });
    }

    function sendEvents(events, options) {
      // docs/connectif.md#wait-not-initialized-throws: 1.3.0 throws synchronously and sends nothing
      // when called before initialisation. The reference says "before initialisation starts"; this
      // double throws until initialisation has finished, the wider window, so an integration that
      // copes with it copes with both.
      if (!initialized) {
        throw new Error(NOT_INITIALIZED);
      }
      const list = Array.isArray(events) ? events : [];
      const opts = isObject(options) ? options : {};
      return sendOrSkip(list, opts);
    }

    function sendOrSkip(events, options) {
      // docs/connectif.md#request-skip-conditions, docs/connectif.md#event-options: a call the
      // store rules skip (tracking off, domain not allowed, page excluded, sampled out) sends
      // nothing. It returns an already resolved Promise and schedules onResponded with
      // setTimeout(onResponded, 0), so the code after `await sendEvents(...)` runs before
      // onResponded does.
      if (!isTrackingAllowed()) {
        if (typeof options.onResponded === 'function') {
          setTimeout(options.onResponded, 0);
        }
        return Promise.resolve();
      }
      // Everything is read synchronously, at call time: the Promise executor runs at once.
      return new Promise((resolve) => send(events, options, resolve));
    }

    const managed = {
      sendEvents: sendEvents,
      getAllEvents: readEvents,
      getAllEventsAsync: () => Promise.resolve().then(readEvents),
      deepEquals: deepEquals,
      isExcludedPage: isExcludedPage,
      getSamplingValue: samplingValue,
      isAllowedDomain: isAllowedDomain,
    };
    if (profile === 'newer') {
      managed.isInitialized = () => initialized;
    }
    connectif.managed = managed;

    // The asynchronous set-up the real client waits for (docs/connectif.md#wait-start-up-sequence):
    // the storage frame (not reproduced) and, when the store has push keys, the service-worker
    // registration (docs/connectif.md#worker-registration).
    function settle() {
      const swUrl = config.serviceWorkerUrl;
      const wantsPush = Boolean(config.vapidPublicKey) && Boolean(swUrl);
      if (wantsPush && 'serviceWorker' in navigator && 'PushManager' in window) {
        // docs/connectif.md#worker-scope: registered with no options, so the scope is the worker's
        // directory.
        return navigator.serviceWorker.register(swUrl).then(
          () => undefined,
          (error) => {
            console.error('connectif-double: service worker ' + swUrl + ' could not be registered: ' + error);
          }
        );
      }
      return new Promise((resolve) => setTimeout(resolve, 0));
    }

    function finish() {
      initialized = true;
      dispatch('connectif.managed.initialized');
      dispatch('connectif.initialized');
      // docs/connectif.md#mode-tag: auto-send sends the events read at start-up, whatever was added
      // since.
      if (config.autoSendEventsOnInit) {
        sendOrSkip(startupEvents, {});
      }
    }

    // docs/connectif.md#wait-start-up-sequence: the token is set at once; the tags are read once,
    // at start-up (docs/connectif.md#lookup-start-up).
    function start() {
      token = config.token;
      adoptTrackerFromUrl();
      startupEvents = readEvents();
      settle().then(finish);
    }

    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start, { once: true });
    } else {
      setTimeout(start, 0);
    }
  }

  const connectif = (window.connectif = window.connectif || {});
  connectif.version = VERSIONS[profile];
  connectif.addHookHandler = addHookHandler;
  window.initializeConnectif = initializeConnectif;
  dispatch('connectif.loaded');
})();
