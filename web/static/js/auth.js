/*
 * Sign-in, once per browser tab: the header's "Masuk" button opens a dialog that takes a
 * token, checks it with GET /auth/me, and keeps it (and the name and role the API answered)
 * in sessionStorage; the header then shows who is signed in and a "Keluar" button. Writing
 * modules call ensureWriter() before a write: it opens the dialog when nobody is signed in,
 * and says so when the token may only read.
 */
import { authHeaders, errorText, getToken, getWho, request, setToken, setWho } from "./api.js";
import { el, label, t, toast } from "./page.js";

const listeners = [];
let dialog = null;
let pending = null; // resolve() of the ensureWriter() waiting for the dialog

function notify() {
  listeners.forEach((fn) => fn(getWho()));
}

/* The signed-in planner {name, role, can_write}, or null. */
export function who() {
  return getToken() ? getWho() : null;
}

/* Call fn(who) now and after every sign-in or sign-out. */
export function onAuthChange(fn) {
  listeners.push(fn);
  fn(who());
}

export function signOut() {
  setToken("");
  setWho(null);
  notify();
}

async function check(token) {
  const { data } = await request("/auth/me", {
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
  });
  return data;
}

function finish(ok) {
  if (pending) {
    pending(ok);
    pending = null;
  }
}

function buildDialog() {
  const input = el("input", { type: "password", id: "signin-token", name: "token",
    autocomplete: "off", required: true });
  const error = el("p", { className: "form-error", id: "signin-error", role: "alert" });
  const cancel = el("button", { type: "button", text: t("action.cancel") });
  const form = el("form", { method: "dialog", className: "signin-form" }, [
    el("h2", { id: "signin-title", text: t("auth.title") }),
    el("label", { for: "signin-token", text: t("token.label") }),
    input,
    el("small", { className: "muted", text: t("token.prompt") }),
    error,
    el("div", { className: "buttons" }, [
      el("button", { type: "submit", className: "primary", text: t("auth.sign_in") }), cancel]),
  ]);
  const box = el("dialog", { id: "signin-dialog", "aria-labelledby": "signin-title" }, [form]);
  cancel.addEventListener("click", () => box.close());
  box.addEventListener("close", () => finish(Boolean(who())));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    error.textContent = "";
    if (!token) {
      error.textContent = t("error.unauthorized");
      return;
    }
    try {
      const found = await check(token);
      setToken(token);
      setWho(found);
      input.value = "";
      notify();
      box.close();
      toast(`${t("auth.signed_in_as")} ${found.name}`);
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  document.body.append(box);
  return box;
}

export function openSignIn() {
  dialog ??= buildDialog();
  if (!dialog.open) {
    dialog.showModal();
    dialog.querySelector("input").focus();
  }
}

/* Resolve true when the signed-in token may write (signing in first if need be). */
export function ensureWriter() {
  const current = who();
  if (current) {
    if (!current.can_write) {
      toast(t("error.forbidden"), true);
    }
    return Promise.resolve(Boolean(current.can_write));
  }
  return new Promise((resolve) => {
    finish(false);
    pending = (ok) => resolve(ok && Boolean(who()?.can_write));
    openSignIn();
  });
}

/* A write was refused as unauthorised: the kept token is no longer valid. */
export function tokenRefused() {
  signOut();
  toast(t("error.unauthorized"), true);
}

/* Fill the header's sign-in slot; a kept token is checked again once in the background. */
export function createSignIn(slot) {
  if (!slot) {
    return;
  }
  const render = (current) => {
    if (!current) {
      const button = el("button", { type: "button", id: "signin-open", className: "signin",
        "aria-haspopup": "dialog", text: t("auth.sign_in") });
      button.addEventListener("click", openSignIn);
      slot.replaceChildren(button);
      return;
    }
    const out = el("button", { type: "button", id: "signin-out", className: "signin",
      text: t("auth.sign_out") });
    out.addEventListener("click", signOut);
    slot.replaceChildren(
      el("span", { id: "signin-who", className: "signin-who" }, [
        el("strong", { text: current.name }), ` · ${label("roles", current.role)}`,
      ]),
      out,
    );
  };
  onAuthChange(render);
  if (getToken()) {
    request("/auth/me", { headers: authHeaders({ Accept: "application/json" }) })
      .then(({ data }) => {
        setWho(data);
        notify();
      })
      .catch((err) => (err.status === 401 ? signOut() : undefined));
  }
}
