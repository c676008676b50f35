using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class NoProxyListTests
{
    public static TheoryData<string?, string, int, bool> MatchCases => new()
    {
        // Empty / blank lists match nothing.
        { null, "example.com", 443, false },
        { "", "example.com", 443, false },
        { "   ", "example.com", 443, false },
        { " , ,, ", "example.com", 443, false },
        { "", "10.0.0.1", 443, false },

        // "*" matches every host, also when it is one entry among others.
        { "*", "example.com", 443, true },
        { "*", "10.1.2.3", 80, true },
        { "*", "::1", 8443, true },
        { "internal.corp, *", "anything.example.org", 443, true },

        // Domain entries match the domain and its subdomains at a label boundary only.
        { "example.com", "example.com", 443, true },
        { "example.com", "api.example.com", 443, true },
        { "example.com", "a.b.example.com", 8080, true },
        { "example.com", "notexample.com", 443, false },
        { "example.com", "example.com.evil.net", 443, false },
        { "example.com", "example.co", 443, false },
        { "example.com", "com", 443, false },
        { "a.example.com", "example.com", 443, false },
        { "a.example.com", "b.example.com", 443, false },

        // Leading dot (and "*.") are stripped; the bare domain matches too, as in curl.
        { ".example.com", "example.com", 443, true },
        { ".example.com", "api.example.com", 443, true },
        { ".example.com", "notexample.com", 443, false },
        { "*.example.com", "example.com", 443, true },
        { "*.example.com", "api.example.com", 443, true },

        // Case-insensitive; a trailing dot on host or entry is ignored.
        { "Example.COM", "api.EXAMPLE.com", 443, true },
        { "example.com.", "api.example.com", 443, true },
        { "example.com", "api.example.com.", 443, true },
        { ".EXAMPLE.com.", "Example.Com.", 443, true },

        // Comma separation with whitespace around entries and empty entries.
        { " foo.test ,  example.com ,", "example.com", 443, true },
        { "foo.test,,example.com", "x.foo.test", 443, true },
        { "foo.test,bar.test", "baz.test", 443, false },

        // IPv4 literals match exactly.
        { "10.1.2.3", "10.1.2.3", 443, true },
        { "10.1.2.3", "10.1.2.4", 443, false },
        { "10.1.2.3.", "10.1.2.3", 443, true },
        { "127.0.0.1", "127.0.0.1.", 443, true },

        // IPv6 literals, with or without brackets on either side, compared as addresses.
        { "::1", "::1", 443, true },
        { "::1", "[::1]", 443, true },
        { "[::1]", "::1", 443, true },
        { "[::1]", "[::1]", 443, true },
        { "::1", "0:0:0:0:0:0:0:1", 443, true },
        { "0:0:0:0:0:0:0:1", "[::1]", 443, true },
        { "2001:DB8::1", "2001:db8:0:0::1", 443, true },
        { "::1", "::2", 443, false },
        { "fe80::1", "fe80::1%1", 443, true },

        // IPv4-mapped IPv6 addresses are the same as their IPv4 address, in both directions.
        { "10.1.2.3", "::ffff:10.1.2.3", 443, true },
        { "10.1.2.3", "[::ffff:a01:203]", 443, true },
        { "::ffff:10.1.2.3", "10.1.2.3", 443, true },
        { "10.1.2.3", "::ffff:10.1.2.4", 443, false },
        { "10.0.0.0/8", "::ffff:10.200.0.1", 443, true },
        { "::ffff:10.0.0.0/104", "10.200.0.1", 443, true },

        // IPv4 CIDR ranges match IP literals inside the range only.
        { "10.0.0.0/8", "10.0.0.1", 443, true },
        { "10.0.0.0/8", "10.255.255.255", 443, true },
        { "10.0.0.0/8", "11.0.0.1", 443, false },
        { "10.0.0.0/8", "9.255.255.255", 443, false },
        { "192.168.1.0/24", "192.168.1.77", 443, true },
        { "192.168.1.0/24", "192.168.2.77", 443, false },
        { "192.168.1.128/25", "192.168.1.127", 443, false },
        { "192.168.1.128/25", "192.168.1.200", 443, true },
        { "10.1.2.3/8", "10.9.9.9", 443, true },
        { "10.1.2.3/32", "10.1.2.3", 443, true },
        { "10.1.2.3/32", "10.1.2.4", 443, false },
        { "0.0.0.0/0", "203.0.113.9", 443, true },
        { "0.0.0.0/0", "::1", 443, false },
        { "0.0.0.0/0", "example.com", 443, false },

        // IPv6 CIDR ranges.
        { "fd00::/8", "fd12:3456::1", 443, true },
        { "fd00::/8", "[fdff::1]", 443, true },
        { "fd00::/8", "fe00::1", 443, false },
        { "[fd00::]/8", "fd12::1", 443, true },
        { "2001:db8::/32", "2001:db8:ffff::1", 443, true },
        { "2001:db8::/32", "2001:db9::1", 443, false },
        { "::/0", "2001:db8::1", 443, true },
        { "::/0", "10.0.0.1", 443, false },
        { "fd00::/8", "10.0.0.1", 443, false },

        // CIDR ranges never match DNS names (no resolution).
        { "10.0.0.0/8", "localhost", 443, false },
        { "127.0.0.0/8", "localhost", 443, false },

        // Domain entries never match IP literals by suffix, and IP entries never match names.
        { "0.1.example.com", "10.1.example.com", 443, false },
        { "0.1.example.com", "x.0.1.example.com", 443, true },
        { "example.com", "10.0.0.1", 443, false },
        { "localhost", "127.0.0.1", 443, false },
        { "localhost", "::1", 443, false },
        { "10.0.0.1", "10.0.0.1.example.com", 443, false },
        { "10.0.0.1", "x10.0.0.1", 443, false },

        // host:port entries match only that port.
        { "example.com:8443", "example.com", 8443, true },
        { "example.com:8443", "api.example.com", 8443, true },
        { "example.com:8443", "example.com", 443, false },
        { "example.com:8443, example.com:9443", "example.com", 9443, true },
        { "1.2.3.4:443", "1.2.3.4", 443, true },
        { "1.2.3.4:443", "1.2.3.4", 80, false },
        { "[::1]:443", "::1", 443, true },
        { "[::1]:443", "[::1]", 80, false },
        { "10.0.0.0/8:443", "10.1.1.1", 443, true },
        { "10.0.0.0/8:443", "10.1.1.1", 80, false },
        { "[fd00::]/8:443", "fd00::1", 443, true },
        { "[fd00::/8]:443", "fd00::1", 80, false },
        { "example.com:443,example.com", "example.com", 80, true },

        // Entries without a port match any port.
        { "example.com", "example.com", 1, true },
        { "10.0.0.1", "10.0.0.1", 65535, true },

        // Hosts that only look like IPv4 are treated as names, and never match IP entries.
        { "127.0.0.1", "127.1", 443, false },
        { "10.0.0.1", "010.0.0.1", 443, false },

        // Degenerate hosts match nothing (unless "*").
        { "example.com", "", 443, false },
        { "example.com", ".", 443, false },
        { "example.com", "[]", 443, false },
        { "10.0.0.0/8", "not:an:ip", 443, false },
    };

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void Matches_follows_curl_no_proxy_rules(string? list, string host, int port, bool expected)
    {
        var noProxy = NoProxyList.Parse(list);

        Assert.Equal(expected, noProxy.Matches(host, port));
    }

    public static TheoryData<string, string> InvalidEntryCases => new()
    {
        { "10.0.0.0/33", "10.0.0.0/33" },
        { "fd00::/129", "fd00::/129" },
        { "10.0.0.0/-1", "10.0.0.0/-1" },
        { "10.0.0.0/", "10.0.0.0/" },
        { "10.0.0.0/8/8", "10.0.0.0/8/8" },
        { "example.com/8", "example.com/8" },
        { "example.com:abc", "example.com:abc" },
        { "example.com:", "example.com:" },
        { "example.com:65536", "example.com:65536" },
        { "example.com:0", "example.com:0" },
        { "example.com:+80", "example.com:+80" },
        { "1.2.3.4:99999", "1.2.3.4:99999" },
        { "[::1]:abc", "[::1]:abc" },
        { "[::1", "[::1" },
        { "[::1]x", "[::1]x" },
        { "[example.com]", "[example.com]" },
        { "[10.0.0.1]", "[10.0.0.1]" },
        { "999.1.1.1", "999.1.1.1" },
        { "1.2.3", "1.2.3" },
        { "0.0.1", "0.0.1" },
        { "127.1", "127.1" },
        { "010.0.0.1", "010.0.0.1" },
        { "gggg::1", "gggg::1" },
        { "fe80::1%eth0", "fe80::1%eth0" },
        { "exa mple.com", "exa mple.com" },
        { "a..example.com", "a..example.com" },
        { "exa$mple.com", "exa$mple.com" },
        { ".", "." },
        { ":443", ":443" },
    };

    [Theory]
    [MemberData(nameof(InvalidEntryCases))]
    public void Parse_throws_FormatException_naming_the_invalid_entry(string entry, string expectedInMessage)
    {
        var ex = Assert.Throws<FormatException>(() => NoProxyList.Parse(entry));

        Assert.Contains($"'{expectedInMessage}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_message_names_only_the_bad_entry_not_the_whole_value()
    {
        var ex = Assert.Throws<FormatException>(
            () => NoProxyList.Parse("good.example.com, 10.0.0.0/33 ,other.example.com"));

        Assert.Equal("Invalid NO_PROXY entry '10.0.0.0/33': CIDR prefix length must be a number between 0 and 32.", ex.Message);
        Assert.DoesNotContain("good.example.com", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("other.example.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_message_for_non_numeric_port_explains_the_port_range()
    {
        var ex = Assert.Throws<FormatException>(() => NoProxyList.Parse("a.test,example.com:abc"));

        Assert.Equal("Invalid NO_PROXY entry 'example.com:abc': port must be a number between 1 and 65535.", ex.Message);
    }

    [Fact]
    public void Parse_error_message_for_port_above_65535_explains_the_port_range()
    {
        var ex = Assert.Throws<FormatException>(() => NoProxyList.Parse("example.com:70000"));

        Assert.Equal("Invalid NO_PROXY entry 'example.com:70000': port must be a number between 1 and 65535.", ex.Message);
    }

    [Fact]
    public void Parse_error_message_for_ipv6_prefix_out_of_range_states_the_ipv6_limit()
    {
        var ex = Assert.Throws<FormatException>(() => NoProxyList.Parse("fd00::/200"));

        Assert.Equal("Invalid NO_PROXY entry 'fd00::/200': CIDR prefix length must be a number between 0 and 128.", ex.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    [InlineData(",,")]
    public void Parse_of_blank_value_returns_the_empty_list(string? value)
    {
        var noProxy = NoProxyList.Parse(value);

        Assert.Same(NoProxyList.Empty, noProxy);
        Assert.True(noProxy.IsEmpty);
        Assert.Equal(string.Empty, noProxy.ToString());
    }

    [Fact]
    public void Empty_list_is_empty_and_matches_nothing()
    {
        Assert.True(NoProxyList.Empty.IsEmpty);
        Assert.False(NoProxyList.Empty.Matches("localhost", 80));
        Assert.False(NoProxyList.Empty.Matches("127.0.0.1", 80));
        Assert.False(NoProxyList.Empty.Matches("::1", 80));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/8")]
    [InlineData("::1")]
    public void List_with_any_entry_is_not_empty(string value)
    {
        Assert.False(NoProxyList.Parse(value).IsEmpty);
    }

    [Theory]
    [InlineData("*", "*")]
    [InlineData(" Example.COM , .Foo.Test. ,*.bar.test", "example.com,foo.test,bar.test")]
    [InlineData("example.com:8443", "example.com:8443")]
    [InlineData("10.1.2.3, 10.1.2.3:443", "10.1.2.3,10.1.2.3:443")]
    [InlineData("10.1.2.3/8,192.168.1.0/24:443", "10.0.0.0/8,192.168.1.0/24:443")]
    [InlineData("[::1],0:0:0:0:0:0:0:1,[::1]:443", "::1,::1,[::1]:443")]
    [InlineData("FD12::1/8,[fd00::/8]:443", "fd00::/8,[fd00::]/8:443")]
    [InlineData("::ffff:10.1.2.3,::ffff:10.0.0.0/104", "10.1.2.3,10.0.0.0/8")]
    [InlineData("localhost,*", "localhost,*")]
    public void ToString_gives_the_normalized_list(string value, string expected)
    {
        Assert.Equal(expected, NoProxyList.Parse(value).ToString());
    }

    [Theory]
    [InlineData(" Example.COM , .Foo.Test. ,*.bar.test")]
    [InlineData("10.1.2.3/8,192.168.1.0/24:443,example.com:8443")]
    [InlineData("[::1],[::1]:443,FD12::1/8,[fd00::/8]:443,::ffff:10.0.0.0/104")]
    public void ToString_output_parses_back_to_the_same_list(string value)
    {
        var normalized = NoProxyList.Parse(value).ToString();

        Assert.Equal(normalized, NoProxyList.Parse(normalized).ToString());
    }

    [Fact]
    public void Matches_rejects_null_host()
    {
        Assert.Throws<ArgumentNullException>(() => NoProxyList.Parse("example.com").Matches(null!, 443));
    }

    [Fact]
    public void Matches_does_not_allocate_for_domain_and_ipv4_hosts()
    {
        var noProxy = NoProxyList.Parse("foo.test,.example.com,example.org:8443,10.0.0.0/8,192.168.1.1,fd00::/8");
        string[] hosts = ["api.example.com", "notexample.com", "example.org", "10.2.3.4", "172.16.0.1", "192.168.1.1."];

        // Warm up (JIT, static initialisation) before measuring.
        foreach (var host in hosts)
        {
            noProxy.Matches(host, 443);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 1000; i++)
        {
            foreach (var host in hosts)
            {
                matched += noProxy.Matches(host, 443) ? 1 : 0;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(3000, matched);
        Assert.Equal(0, allocated);
    }
}
