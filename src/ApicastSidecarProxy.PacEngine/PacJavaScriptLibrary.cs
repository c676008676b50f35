using Acornima.Ast;
using Jint;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>
/// The pure PAC helpers of Netscape's specification, in JavaScript as Mozilla and Chromium write them (shExpMatch
/// escapes every regular-expression character but * and ?, which Mozilla's forgets). dnsResolve is the host's
/// function (<see cref="PacHostFunctions"/>), captured before the script runs so a script redefining it does not
/// change isInNet.
/// </summary>
internal static class PacJavaScriptLibrary
{
    public const string Source = """
        (function (global, dnsResolve) {
          function isIpv4(text) {
            var parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
            return parts !== null && parts[1] <= 255 && parts[2] <= 255 && parts[3] <= 255 && parts[4] <= 255;
          }
          function convert_addr(ipchars) {
            var bytes = String(ipchars).split('.');
            return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
          }
          global.convert_addr = convert_addr;
          global.isPlainHostName = function isPlainHostName(host) {
            return String(host).search(/[.:]/) === -1;
          };
          global.dnsDomainIs = function dnsDomainIs(host, domain) {
            host = String(host); domain = String(domain);
            return host.length >= domain.length && host.substring(host.length - domain.length) === domain;
          };
          global.localHostOrDomainIs = function localHostOrDomainIs(host, hostdom) {
            host = String(host); hostdom = String(hostdom);
            return host === hostdom || hostdom.lastIndexOf(host + '.', 0) === 0;
          };
          global.dnsDomainLevels = function dnsDomainLevels(host) {
            return String(host).split('.').length - 1;
          };
          global.isResolvable = function isResolvable(host) {
            return dnsResolve(host) !== null;
          };
          global.isInNet = function isInNet(host, pattern, mask) {
            if (!isIpv4(pattern) || !isIpv4(mask)) return false;
            var address = isIpv4(host) ? host : dnsResolve(host);
            if (address === null || !isIpv4(address)) return false;
            var bits = convert_addr(mask);
            return (convert_addr(address) & bits) === (convert_addr(pattern) & bits);
          };
          global.shExpMatch = function shExpMatch(text, pattern) {
            var source = String(pattern).replace(/[.+^${}()|[\]\\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
            return new RegExp('^' + source + '$').test(String(text));
          };
          // Browsers print alert() to their console; scripts left with debugging calls must not fail here.
          global.alert = function alert() {};
        })(globalThis, dnsResolve);
        """;

    public static Prepared<Script> Prepared { get; } = Engine.PrepareScript(Source, "pac-library");
}
