export { Agent, type AgentOptions } from './agent.js';
export {
  HTTPSConnection,
  HTTPResponse,
  ProxyHTTPSConnection,
  Checker,
  request,
  HTTPException,
  ResponseNotReady,
  BadStatusLine,
  IncompleteRead,
  WrongHost,
  WrongCertificate,
  type HTTPSConnectionOptions,
  type RequestOptions,
  type PutrequestOptions,
  type ProxyHTTPSConnectionOptions,
} from './client.js';
