/*
 * Talking to the API: URLs, JSON requests, FeatureCollections followed along their rel=next
 * links, the planner token kept for the browser tab, and what an error means in the page's
 * language (the API's own messages are English and are never shown). Draws nothing.
 *
 * One answer shape each way: a 2xx answer is JSON (a Feature, a FeatureCollection with
 * `features` and `links`, or nothing for a 204); any other answer is thrown as an ApiError
 * built from the API's one error body, {code, description, details}.
 */
import { cfg, t } from "./page.js";

const TOKEN_KEY = "ketahanan.planner-token";
const WHO_KEY = "ketahanan.planner";
const MAX_PAGES = 40;

/* Names of the items-route query parameters (web/pages.py API_PARAMS). */
export const P = cfg.api.params;

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.description ? body.description : `HTTP ${status}`);
    this.status = status;
    this.code = body ? body.code : null;
    this.details = body && Array.isArray(body.details) ? body.details : [];
  }
}

/* "?a=1&b=2" from an object (empty, null and undefined values left out). */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function itemsUrl(collection, params = {}) {
  return `/collections/${encodeURIComponent(collection)}/items${query(params)}`;
}

export function itemUrl(collection, id, params = {}) {
  return `${itemsUrl(collection)}/${encodeURIComponent(id)}${query(params)}`;
}

/* The zoom whose generalisation to ask the items routes for (a whole zoom level). */
export function zoomOf(map) {
  return Math.round(map.getZoom());
}

const ERROR_KEYS = {
  0: "error.network",
  400: "error.bad_request",
  401: "error.unauthorized",
  403: "error.forbidden",
  404: "error.not_found",
  409: "error.duplicate",
  410: "error.gone",
  412: "error.conflict",
  413: "error.too_large",
  422: "error.invalid",
  428: "error.conflict",
  503: "error.unavailable",
};

/* What went wrong, in the page's language (an ApiError, or a failed fetch). */
export function errorText(err) {
  const status = err instanceof ApiError ? err.status : 0;
  const key = ERROR_KEYS[status];
  return key ? t(key) : `${t("error.generic")} (${status})`;
}

/* Headers of a request made with the signed-in token (none when signed out). */
export function authHeaders(extra = {}) {
  const token = getToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : { ...extra };
}

/* Fetch `url`; resolve {data, headers} for a 2xx JSON answer, throw an ApiError otherwise. */
export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError(0, null); // offline, or the server is down
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, null);
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return { data, headers: response.headers };
}

/* Every feature of an items URL, following rel=next (at most MAX_PAGES pages). */
export async function fetchAll(url) {
  const features = [];
  let first = null;
  let next = url;
  for (let page = 0; next && page < MAX_PAGES; page += 1) {
    const { data } = await request(next);
    first = first || data;
    features.push(...data.features);
    const link = data.links.find((l) => l.rel === "next");
    next = link ? samePath(link.href) : null;
  }
  return { features, first };
}

/* The path and query of a link the API made (so requests stay on this origin). */
function samePath(href) {
  const url = new URL(href, window.location.href);
  return url.pathname + url.search;
}

/* The signed-in token and planner, kept for this browser tab (sessionStorage). */
const memory = {}; // used when the browser refuses storage

function kept(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return memory[key] ?? null;
  }
}

function keep(key, value) {
  try {
    if (value) {
      window.sessionStorage.setItem(key, value);
    } else {
      window.sessionStorage.removeItem(key);
    }
  } catch {
    memory[key] = value || null;
  }
}

export const getToken = () => kept(TOKEN_KEY) || "";
export const setToken = (value) => keep(TOKEN_KEY, value);

/* {name, role, can_write} of the signed-in token, or null. */
export function getWho() {
  try {
    return JSON.parse(kept(WHO_KEY) || "null");
  } catch {
    return null;
  }
}

export const setWho = (who) => keep(WHO_KEY, who ? JSON.stringify(who) : "");
