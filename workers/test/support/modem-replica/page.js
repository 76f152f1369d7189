/* global window, document, sessionStorage, location, fetch, crypto, TextEncoder, TextDecoder, btoa, atob */
// The replica modem's own page script, as a TP-Link firmware ships one: the login form, the key
// exchange (an AES key and IV made in the page, wrapped with the modem's RSA key in each request's
// `sign`), every request and answer AES-encrypted, and the request and logout functions the rest
// of the page calls. The workers' bridge never re-implements any of this: it calls the functions.
(function () {
  "use strict";
  var cfg = window.REPLICA;
  var STORE = "replica.session";

  function toHex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function modPow(base, exp, mod) {
    var result = 1n;
    base %= mod;
    while (exp > 0n) {
      if (exp & 1n) result = (result * base) % mod;
      base = (base * base) % mod;
      exp >>= 1n;
    }
    return result;
  }

  // Raw RSA, as the firmware signs: the text cut to the key's length, each block zero-padded.
  function rsaEncrypt(text, nHex, eHex) {
    var n = BigInt("0x" + nHex);
    var e = BigInt("0x" + eHex);
    var size = nHex.length / 2;
    var bytes = new TextEncoder().encode(text);
    var out = "";
    for (var i = 0; i < bytes.length; i += size) {
      var block = new Uint8Array(size);
      block.set(bytes.subarray(i, i + size));
      out += modPow(BigInt("0x" + toHex(block)), e, n)
        .toString(16)
        .padStart(size * 2, "0");
    }
    return out;
  }

  function aesKey(text, usage) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(text), "AES-CBC", false, [
      usage,
    ]);
  }

  async function aesEncrypt(sess, plain) {
    var key = await aesKey(sess.key, "encrypt");
    var iv = new TextEncoder().encode(sess.iv);
    var sealed = await crypto.subtle.encrypt(
      { name: "AES-CBC", iv: iv },
      key,
      new TextEncoder().encode(plain),
    );
    return btoa(String.fromCharCode.apply(null, new Uint8Array(sealed)));
  }

  async function aesDecrypt(sess, b64) {
    var key = await aesKey(sess.key, "decrypt");
    var iv = new TextEncoder().encode(sess.iv);
    var bytes = Uint8Array.from(atob(b64.trim()), (c) => c.charCodeAt(0));
    var plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: iv }, key, bytes);
    return new TextDecoder().decode(plain);
  }

  async function sha256Hex(text) {
    var digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return toHex(new Uint8Array(digest));
  }

  // Sixteen digits from the clock and chance, as the firmware makes its AES key and IV.
  function sixteenDigits() {
    var random = crypto.getRandomValues(new Uint32Array(2));
    return (String(Date.now()) + random[0] + random[1]).slice(0, 16);
  }

  async function rsaParams() {
    var res = await fetch("/cgi/getGDPRParm", { method: "POST" });
    var text = await res.text();
    var get = (name) => (new RegExp("var " + name + '="([^"]+)"').exec(text) || [])[1];
    return { nn: get("nn"), ee: get("ee"), seq: Number(get("seq")) };
  }

  async function post(sess, plain, isLogin) {
    var data = await aesEncrypt(sess, plain);
    var s = sess.seq + data.length;
    var signed = isLogin
      ? "key=" + sess.key + "&iv=" + sess.iv + "&h=" + sess.hash + "&s=" + s
      : "h=" + sess.hash + "&s=" + s;
    var headers = { "Content-Type": "text/plain" };
    if (sess.token) headers.TokenID = sess.token;
    var res = await fetch("/cgi_gdpr?9", {
      method: "POST",
      headers: headers,
      body: "sign=" + rsaEncrypt(signed, sess.nn, sess.ee) + "\r\ndata=" + data + "\r\n",
    });
    if (res.status === 403) throw new Error("the session has expired (HTTP 403)");
    if (!res.ok) throw new Error("HTTP " + res.status);
    return aesDecrypt(sess, await res.text());
  }

  function show(id) {
    var el = document.getElementById(id);
    if (el) el.hidden = false;
  }

  function loginPage() {
    var ids = cfg.login;
    document.getElementById(ids.button).addEventListener("click", async function () {
      [ids.error, ids.busy].forEach((id) => (document.getElementById(id).hidden = true));
      var user = ids.user ? document.getElementById(ids.user).value : "admin";
      var password = document.getElementById(ids.password).value;
      var params = await rsaParams();
      var sess = {
        key: sixteenDigits(),
        iv: sixteenDigits(),
        hash: await sha256Hex(user + password),
        nn: params.nn,
        ee: params.ee,
        seq: params.seq,
      };
      var login = JSON.stringify({
        data: { UserName: btoa(user), Passwd: btoa(password), Action: "1" },
        operation: "cgi",
        oid: "/cgi/login",
      });
      var reply = await post(sess, login, true);
      var ret = (/\$\.ret=(\d+)/.exec(reply) || [])[1];
      if (ret === "0") {
        sessionStorage.setItem(STORE, JSON.stringify(sess));
        location.reload();
      } else if (ret === "71233") show(ids.busy);
      else show(ids.error);
    });
  }

  function mainPage() {
    var sess = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (!sess) {
      document.body.textContent = "Session lost: log in again.";
      return;
    }
    sess.token = cfg.token;
    async function call(operation, oid, data) {
      var body = JSON.stringify({ operation: operation, oid: oid, data: data || {} }) + "\r\n";
      return JSON.parse(await post(sess, body, false));
    }
    async function logout() {
      await post(sess, JSON.stringify({ operation: "cgi", oid: "/cgi/logout" }), false);
      sessionStorage.removeItem(STORE);
    }
    if (cfg.dialect === "xx230v") {
      var request = async function (operation, oid) {
        var answer = await call(operation, oid, { stack: "0,0,0,0,0,0", pstack: "0,0,0,0,0,0" });
        if (!answer.success) throw new Error("errorcode " + answer.errorcode);
        return answer;
      };
      window.$tp = cfg.changedApi ? { ajax: request, logout: logout } : { request, logout };
    } else {
      var suRequest = async function (path, payload) {
        var answer = await call(payload.operation, path, payload.params);
        if (answer.error_code !== 0) throw new Error("error_code " + answer.error_code);
        return answer;
      };
      window.$ = {
        su: cfg.changedApi ? { send: suRequest, logout } : { request: suRequest, logout },
      };
    }
    var ready = document.createElement("a");
    ready.id = cfg.ready;
    ready.textContent = cfg.dialect === "xx230v" ? "Wireless" : "Network map";
    document.getElementById("menu").appendChild(ready);
  }

  if (cfg.page === "login") loginPage();
  else mainPage();
})();
