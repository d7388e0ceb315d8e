// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "refusal.h"

#include <QString>
#include <utility>
#include <variant>

// A value or the Refusal that took its place (an expected<T, Refusal>): what core
// returns where a refusal is an ordinary outcome rather than an exception.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Refusal refusal) : m_data(std::in_place_index<1>, std::move(refusal)) {}
    static Result failure(Refusal refusal) { return Result(std::move(refusal)); }
    static Result failure(Refusal::Kind kind, QString message)
    {
        return Result(Refusal(kind, std::move(message)));
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    // Only on failure.
    const Refusal &refusal() const { return std::get<1>(m_data); }
    // The refusal's message, for printing; empty on success.
    QString error() const { return ok() ? QString() : refusal().message; }

private:
    std::variant<T, Refusal> m_data;
};

// For operations with nothing to return but success.
struct Done
{
};
