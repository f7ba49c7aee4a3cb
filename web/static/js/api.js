/*
 * Talking to the API: URLs, JSON requests, FeatureCollections followed along their rel=next
 * links, and the planner token kept for the browser session. Draws nothing.
 *
 * One answer shape each way: a 2xx answer is JSON (a Feature, a FeatureCollection with
 * `features` and `links`, or nothing for a 204); any other answer is thrown as an ApiError
 * built from the API's one error body, {code, description, details}.
 */
import { cfg } from "./page.js";

const TOKEN_KEY = "ketahanan.planner-token";
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

/* Fetch `url`; resolve {data, headers} for a 2xx JSON answer, throw an ApiError otherwise. */
export async function request(url, options = {}) {
  const response = await fetch(url, options);
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

export function getToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return ""; // storage disabled: the token lives only in the form
  }
}

export function setToken(value) {
  try {
    if (value) {
      window.sessionStorage.setItem(TOKEN_KEY, value);
    } else {
      window.sessionStorage.removeItem(TOKEN_KEY);
    }
  } catch {
    /* storage disabled: the token lives only in the form */
  }
}
