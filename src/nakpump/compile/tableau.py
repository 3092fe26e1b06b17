"""The coefficients of Rodas4, an L-stable, stiffly accurate Rosenbrock
method of order 4(3) with a third-order dense output.

Source: Hairer E, Wanner G (1996) Solving Ordinary Differential Equations II,
2nd ed., Springer, section IV.7, Table 7.2 (RODAS, gamma = 1/4), and the
dense-output coefficients of their code RODAS.  In their formulation, with
k_i the stage increments and M = I/(h gamma) - J:

    M k_i = f(y + sum_j A_ij k_j) + sum_j C_ij k_j / h      (i = 1..6)

the fifth and sixth stages' points are y + sum A_5j k_j and that plus k_5,
the new state that plus k_6, k_6 is the error estimate, and the dense output
at fraction theta of the step is

    (1 - theta) y0 + theta (y1 + (1 - theta) (kd1 + theta kd2)),
    kd1 = sum_j H2j k_j,  kd2 = sum_j H3j k_j.

Used by both solvers: ``nakpump.solve.rodas`` (Numba) and the generated step
of ``nakpump.compile.stepper``.
"""

GAMMA = 0.25
A21 = 1.544
A31, A32 = 0.9466785280815826, 0.2557011698983284
A41, A42, A43 = 3.314825187068521, 2.896124015972201, 0.9986419139977817
A51, A52, A53, A54 = 1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950
C21 = -5.6688
C31, C32 = -2.430093356833875, -0.2063599157091915
C41, C42, C43 = -0.1073529058151375, -9.594562251023355, -20.47028614809616
C51, C52, C53, C54 = 7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160
C61, C62, C63, C64, C65 = (8.083246795921522, -7.981132988064893, -31.52159432874371,
                           16.31930543123136, -6.058818238834054)
H21, H22, H23, H24, H25 = (10.12623508344586, -7.487995877610167, -34.80091861555747,
                           -7.992771707568823, 1.025137723295662)
H31, H32, H33, H34, H35 = (-0.6762803392801253, 6.087714651680015, 16.43084320892478,
                           24.76722511418386, -6.594389125716872)


A = ((), (A21,), (A31, A32), (A41, A42, A43), (A51, A52, A53, A54))
"""A_ij of stages 1-5 (stage 6's point is stage 5's plus k_5)."""
C = ((), (C21,), (C31, C32), (C41, C42, C43), (C51, C52, C53, C54), (C61, C62, C63, C64, C65))
"""C_ij of stages 1-6."""
H = ((H21, H22, H23, H24, H25), (H31, H32, H33, H34, H35))
"""The dense output's kd1 and kd2 from k_1..k_5."""
