export { httpClient } from "./httpClient";
export { parseJsonResponse } from "./parseJsonResponse";
