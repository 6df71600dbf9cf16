using System.Runtime.Intrinsics;

namespace Compression.Kernels.Drivers;

// The math of an elementwise kernel is an operator struct with a scalar Invoke (the reference) and one Invoke
// per vector width; the drivers in Drivers/ own the loops, the unrolling and the tails.

/// <summary>float to an int32 lane (narrowed to a byte by the driver).</summary>
internal interface IFloatToIntOperator
{
    int Invoke(float x);

    Vector128<int> Invoke(Vector128<float> x);

    Vector256<int> Invoke(Vector256<float> x);

    Vector512<int> Invoke(Vector512<float> x);
}

/// <summary>float to a 16-bit pattern in the low half of a uint32 lane (narrowed to ushort by the driver).</summary>
internal interface IFloatToBits16Operator
{
    ushort Invoke(float x);

    Vector128<uint> Invoke(Vector128<float> x);

    Vector256<uint> Invoke(Vector256<float> x);

    Vector512<uint> Invoke(Vector512<float> x);
}

/// <summary>An int32 lane (widened from a byte by the driver) to float.</summary>
internal interface IIntToFloatOperator
{
    float Invoke(int q);

    Vector128<float> Invoke(Vector128<int> q);

    Vector256<float> Invoke(Vector256<int> q);

    Vector512<float> Invoke(Vector512<int> q);
}

/// <summary>A 16-bit pattern (widened to a uint32 lane by the driver) to float.</summary>
internal interface IBits16ToFloatOperator
{
    float Invoke(ushort bits);

    Vector128<float> Invoke(Vector128<uint> bits);

    Vector256<float> Invoke(Vector256<uint> bits);

    Vector512<float> Invoke(Vector512<uint> bits);
}
