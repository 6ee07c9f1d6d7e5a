export { Agent, type AgentOptions } from './agent.js';
export { Checker } from './checker.js';
export {
  HTTPSConnection,
  ProxyHTTPSConnection,
  request,
  type HTTPSConnectionOptions,
  type RequestOptions,
  type RequestBody,
  type PutrequestOptions,
  type ProxyHTTPSConnectionOptions,
} from './connection.js';
export { HTTPException, ResponseNotReady, BadStatusLine, IncompleteRead, WrongHost, WrongCertificate } from './errors.js';
export { fetch, createDispatcher, type DispatcherOptions, type FetchInit } from './fetch.js';
export { HTTPResponse } from './response.js';
