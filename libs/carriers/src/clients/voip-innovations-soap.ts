import { at, buildXml, parseXml, text, type XmlNode } from '../xml';

export const VI_NAMESPACE = 'http://tempuri.org/';

/** A SOAP 1.1 envelope around `<operation xmlns="http://tempuri.org/">params</operation>`. */
export function soapEnvelope(operation: string, params: XmlNode): string {
  const body = buildXml({ [operation]: params }).replace(/^<\?xml[^>]*\?>/, '');
  const withNs = body.replace(`<${operation}>`, `<${operation} xmlns="${VI_NAMESPACE}">`);
  return '<?xml version="1.0" encoding="utf-8"?>'
    + '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    + 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    + `<soap:Body>${withNs}</soap:Body></soap:Envelope>`;
}

export const soapFaultText = (doc: XmlNode | undefined): string | undefined =>
  text(at(doc, 'Envelope', 'Body', 'Fault', 'faultstring'));

export const describeSoapError = (body: string): string | undefined => soapFaultText(parseXml(body));

/** `<{op}Response><{op}Result>` of a parsed envelope. */
export const soapResult = (doc: XmlNode, operation: string): XmlNode | undefined => {
  const result = at(doc, 'Envelope', 'Body', `${operation}Response`, `${operation}Result`);
  return result && typeof result === 'object' ? (result as XmlNode) : undefined;
};
