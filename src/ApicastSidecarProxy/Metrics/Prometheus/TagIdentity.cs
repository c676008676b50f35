using System.Runtime.CompilerServices;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>
/// A tag set known by the identity of its names and values rather than by their text, for up to four tags whose values
/// are strings: the sidecar records every exchange with the same string objects (route names, status texts, a proxy's
/// label), so comparing references finds the series without building its label text. Any other tag set is not
/// <see cref="IsKnown"/>, and is looked up by its text.
/// </summary>
public readonly struct TagIdentity : IEquatable<TagIdentity>
{
    public const int MaxTags = 4;

    private readonly string? _name0, _name1, _name2, _name3;
    private readonly object? _value0, _value1, _value2, _value3;
    private readonly int _count;

    private TagIdentity(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        (_name0, _value0) = tags.Length > 0 ? (tags[0].Key, tags[0].Value) : (null, null);
        (_name1, _value1) = tags.Length > 1 ? (tags[1].Key, tags[1].Value) : (null, null);
        (_name2, _value2) = tags.Length > 2 ? (tags[2].Key, tags[2].Value) : (null, null);
        (_name3, _value3) = tags.Length > 3 ? (tags[3].Key, tags[3].Value) : (null, null);
        IsKnown = true;
    }

    /// <summary>False for a tag set this type cannot stand for: too many tags, or a value that is not a string (a
    /// boxed number is a new object each time, and would never be found again).</summary>
    public bool IsKnown { get; }

    public static TagIdentity Of(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length > MaxTags)
        {
            return default;
        }

        foreach (var tag in tags)
        {
            if (tag.Value is not (string or null))
            {
                return default;
            }
        }

        return new TagIdentity(tags);
    }

    public bool Equals(TagIdentity other) =>
        _count == other._count
        && ReferenceEquals(_name0, other._name0) && ReferenceEquals(_value0, other._value0)
        && ReferenceEquals(_name1, other._name1) && ReferenceEquals(_value1, other._value1)
        && ReferenceEquals(_name2, other._name2) && ReferenceEquals(_value2, other._value2)
        && ReferenceEquals(_name3, other._name3) && ReferenceEquals(_value3, other._value3);

    public override bool Equals(object? obj) => obj is TagIdentity other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_count,
        RuntimeHelpers.GetHashCode(_value0), RuntimeHelpers.GetHashCode(_value1),
        RuntimeHelpers.GetHashCode(_value2), RuntimeHelpers.GetHashCode(_value3),
        RuntimeHelpers.GetHashCode(_name0), RuntimeHelpers.GetHashCode(_name1), RuntimeHelpers.GetHashCode(_name2));
}
